import 'reflect-metadata';
import { Auth, Context, Get, Lokstra, Post, Public, Roles, Route, Scopes, type AuthInfo, type LokstraHandle } from '../../src/index';
import { appWith, build, captureLogger, SECRET, sign } from './harness';

const JWT = { name: 'jwt', config: { secret: SECRET, algorithms: ['HS256'] } };

@Route('/notes')
@Roles('member')
class NotesController {
  @Get('/')
  list(@Auth() auth: AuthInfo) {
    return { subject: auth.subject };
  }

  @Post('/')
  @Scopes('notes:write')
  create() {
    return 'created';
  }

  @Post('/purge')
  @Roles('admin')
  @Scopes('notes:admin')
  purge() {
    return 'purged';
  }

  @Get('/public')
  @Public()
  open(@Auth({ optional: true }) auth: AuthInfo | undefined) {
    return { who: auth?.subject ?? null };
  }
}

@Route('/status')
@Public()
class StatusController {
  @Get('/')
  status(ctx: Context) {
    return { anonymous: ctx.auth === undefined };
  }
}

describe('authorize with @Roles, @Scopes, @Public and @Auth', () => {
  let h: LokstraHandle;
  beforeAll(async () => {
    const lk = new Lokstra({ logger: captureLogger().logger, handleSignals: false });
    lk.app('api', ':0').use(JWT).mount(NotesController).mount(StatusController);
    h = await lk.build({ server: { global_setting: { log_level: 'error' } } } as never);
  });
  afterAll(() => h.close());

  const call = async (method: 'GET' | 'POST', url: string, claims?: Record<string, unknown>) => {
    const headers = claims === undefined ? {} : { authorization: `Bearer ${await sign({ sub: 'u1', ...claims })}` };
    return h.apps[0]!.inject({ method, url, headers });
  };

  it('answers 401 without credentials and 403 FORBIDDEN when a class role is missing', async () => {
    const anon = await call('GET', '/notes');
    expect(anon.statusCode).toBe(401);
    expect(anon.headers['www-authenticate']).toContain('Bearer');
    const res = await call('GET', '/notes', { roles: ['guest'] });
    expect(res.statusCode).toBe(403);
    expect(JSON.parse(res.body).code).toBe('FORBIDDEN');
  });

  it('injects ctx.auth with @Auth() when the class role is present', async () => {
    const res = await call('GET', '/notes', { roles: ['member'] });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).data).toEqual({ subject: 'u1' });
  });

  it('applies the class @Roles and the method @Scopes together', async () => {
    expect((await call('POST', '/notes', { roles: ['member'] })).statusCode).toBe(403);
    expect((await call('POST', '/notes', { scope: 'notes:write' })).statusCode).toBe(403);
    expect((await call('POST', '/notes', { roles: ['member'], scope: 'notes:write' })).statusCode).toBe(200);
  });

  it('requires every role and scope stacked on one method', async () => {
    expect((await call('POST', '/notes/purge', { roles: ['member', 'admin'] })).statusCode).toBe(403);
    expect((await call('POST', '/notes/purge', { roles: ['member'], scope: 'notes:admin' })).statusCode).toBe(403);
    expect((await call('POST', '/notes/purge', { roles: ['member', 'admin'], scope: 'notes:admin' })).statusCode).toBe(200);
  });

  it('@Public() lets anonymous requests and bad tokens through, and still reads a valid token', async () => {
    expect(JSON.parse((await call('GET', '/notes/public')).body).data).toEqual({ who: null });
    const bad = await h.apps[0]!.inject({ method: 'GET', url: '/notes/public', headers: { authorization: 'Bearer x.y.z' } });
    expect(bad.statusCode).toBe(200);
    expect(JSON.parse((await call('GET', '/notes/public', { roles: [] })).body).data).toEqual({ who: 'u1' });
  });

  it('@Public() on a class opens every route of it', async () => {
    const res = await call('GET', '/status');
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).data).toEqual({ anonymous: true });
  });

  it('lists the checks in the route table', () => {
    const purge = h.routes.find((r) => r.url === '/notes/purge');
    expect(purge?.middleware).toEqual(expect.arrayContaining(['jwt', 'authorize@class', 'authorize@method']));
  });
});

describe('authorize from YAML', () => {
  let h: LokstraHandle;
  beforeAll(async () => {
    h = await build(appWith([JWT, { name: 'authorize', config: { roles: ['admin', 'ops'], any: true } }], [
      { method: 'GET', path: '/all', handler: 'ok', middleware: [JWT, { name: 'authorize', config: { roles: ['admin'], scopes: ['x'] } }] },
      { method: 'GET', path: '/none', handler: 'ok', middleware: ['authorize'] },
    ]), captureLogger().logger);
  });
  afterAll(() => h.close());
  const get = async (url: string, claims?: Record<string, unknown>) => h.apps[0]!.inject({
    method: 'GET', url, headers: claims === undefined ? {} : { authorization: `Bearer ${await sign({ sub: 'u', ...claims })}` },
  });

  it('any: true accepts any one listed role', async () => {
    expect((await get('/me', { roles: ['ops'] })).statusCode).toBe(200);
    expect((await get('/me', { roles: ['dev'] })).statusCode).toBe(403);
  });

  it('any: false (default) needs every role and scope', async () => {
    expect((await get('/all', { roles: ['admin'] })).statusCode).toBe(403);
    expect((await get('/all', { roles: ['admin'], scp: ['x'] })).statusCode).toBe(200);
  });

  it('answers 401 UNAUTHORIZED when no authentication ran before it', async () => {
    const res = await get('/none');
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(res.body).code).toBe('UNAUTHORIZED');
    expect(res.headers['www-authenticate']).toBeDefined();
  });
});

import { defineModule, type Context, type KvStore, type LokstraHandle } from '../../src/index';
import { describeWith, REDIS_URL, uniqueName } from '../services/helpers/servers';
import { build, captureLogger } from './harness';

const SESSION_SECRET = 'session-secret-0123456789abcdefghijklmnop';

const sessionHandlers = defineModule({
  name: 'session-test-handlers',
  handlers: {
    visit: (ctx: Context) => { ctx.session!.set('cart', ['book']); return ctx.ok('seen'); },
    login: async (ctx: Context) => {
      const cart = ctx.session!.get<string[]>('cart');
      await ctx.session!.regenerate();
      ctx.session!.set('auth', { subject: 'alice', roles: ['member'] });
      ctx.session!.set('cart', cart);
      return ctx.ok('in');
    },
    state: (ctx: Context) => ctx.ok({ auth: ctx.auth ?? null, cart: ctx.session?.get('cart') ?? null }),
    logout: async (ctx: Context) => { await ctx.session!.destroy(); return ctx.ok('out'); },
    reserved: (ctx: Context) => { ctx.session!.set('regenerate', 1); return ctx.ok('no'); },
  },
});

function deployment(config: Record<string, unknown>, services: unknown[] = []): never {
  const mw = [{ name: 'session', config: { secret: SESSION_SECRET, ...config } }];
  return {
    server: { global_setting: { log_level: 'error' } },
    services,
    apps: [{
      name: 'web', address: ':0', middleware: mw,
      routes: [
        { method: 'POST', path: '/visit', handler: 'visit' },
        { method: 'POST', path: '/login', handler: 'login' },
        { method: 'GET', path: '/state', handler: 'state' },
        { method: 'POST', path: '/logout', handler: 'logout' },
        { method: 'POST', path: '/reserved', handler: 'reserved' },
      ],
    }],
  } as never;
}

/** The `name=value` of a Set-Cookie response header for the cookie `name`. */
function cookieOf(res: { headers: Record<string, unknown> }, name = 'sid'): string | undefined {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw as string[] : raw === undefined ? [] : [String(raw)];
  return list.find((c) => c.startsWith(`${name}=`))?.split(';')[0];
}

describe('session (memory store)', () => {
  let h: LokstraHandle;
  let offset = 0;
  const realNow = Date.now.bind(Date);
  beforeAll(async () => {
    h = await build(deployment({ cookie: { max_age: '1h' } }), captureLogger().logger, [sessionHandlers]);
    jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await h.close();
  });
  const req = (method: 'GET' | 'POST', url: string, cookie?: string) => h.apps[0]!.inject({ method, url, headers: cookie === undefined ? {} : { cookie } });
  const state = async (cookie?: string) => JSON.parse((await req('GET', '/state', cookie)).body).data as { auth: Record<string, unknown> | null; cart: unknown };

  it('creates no session (and no cookie) for a visitor who stores nothing', async () => {
    const res = await req('GET', '/state');
    expect(res.statusCode).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('sets a signed, HttpOnly, SameSite=Lax cookie (not Secure over plain HTTP) and keeps data across requests', async () => {
    const res = await req('POST', '/visit');
    const raw = String(res.headers['set-cookie']);
    expect(raw).toMatch(/^sid=[^;]+\.[^;]+;/);
    expect(raw).toMatch(/HttpOnly/);
    expect(raw).toMatch(/SameSite=Lax/);
    expect(raw).not.toMatch(/Secure/);
    expect(await state(cookieOf(res))).toEqual({ auth: null, cart: ['book'] });
  });

  it('regenerates the id on login (fixation): the pre-login id is dead afterwards', async () => {
    const before = cookieOf(await req('POST', '/visit')) as string;
    const login = await req('POST', '/login', before);
    const after = cookieOf(login) as string;
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect(await state(after)).toEqual({ auth: expect.objectContaining({ method: 'session', subject: 'alice', roles: ['member'] }), cart: ['book'] });
    expect(await state(before)).toEqual({ auth: null, cart: null });
  });

  it('treats a tampered or forged cookie as no session (never a 500)', async () => {
    const login = cookieOf(await req('POST', '/login', cookieOf(await req('POST', '/visit')))) as string;
    const [name, value] = login.split('=') as [string, string];
    const decoded = decodeURIComponent(value);
    const dot = decoded.lastIndexOf('.');
    const id = decoded.slice(0, dot);
    const sig = decoded.slice(dot + 1);
    const tampered = [
      `${name}=${encodeURIComponent(`${id.slice(0, -1)}${id.endsWith('A') ? 'B' : 'A'}.${sig}`)}`,
      `${name}=${encodeURIComponent(`${id}.${sig.slice(0, -2)}xx`)}`,
      `${name}=${encodeURIComponent(id)}`,
      `${name}=attacker-chosen-id`,
      `${name}=%E0%A4%A`,
      `${name}=${'a'.repeat(4000)}`,
    ];
    for (const cookie of tampered) {
      const res = await req('GET', '/state', cookie);
      expect(res.statusCode).toBe(200);
      expect(JSON.parse(res.body).data).toEqual({ auth: null, cart: null });
    }
  });

  it('expires sessions after max_age', async () => {
    const cookie = cookieOf(await req('POST', '/login', cookieOf(await req('POST', '/visit')))) as string;
    expect((await state(cookie)).auth).not.toBeNull();
    offset += 61 * 60_000;
    expect(await state(cookie)).toEqual({ auth: null, cart: null });
  });

  it('destroy() ends the session', async () => {
    const cookie = cookieOf(await req('POST', '/login', cookieOf(await req('POST', '/visit')))) as string;
    expect((await req('POST', '/logout', cookie)).statusCode).toBe(200);
    expect(await state(cookie)).toEqual({ auth: null, cart: null });
  });

  it('refuses data keys that would shadow the session’s own methods', async () => {
    const res = await req('POST', '/reserved', cookieOf(await req('POST', '/visit')));
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('reserved');
  });

  it('leaves routes without the middleware alone (ctx.session undefined)', async () => {
    const other = await build({
      server: { global_setting: { log_level: 'error' } },
      apps: [{ name: 'api', address: ':0', routes: [{ method: 'GET', path: '/state', handler: 'state' }] }],
    } as never, captureLogger().logger, [sessionHandlers]);
    try {
      expect(JSON.parse((await other.apps[0]!.inject('/state')).body).data).toEqual({ auth: null, cart: null });
    } finally {
      await other.close();
    }
  });
});

describe('session config', () => {
  it('refuses a short secret and an unknown store at boot', async () => {
    await expect(build(deployment({ secret: 'short' }), captureLogger().logger, [sessionHandlers])).rejects.toMatchObject({ code: 'LKS_ERR_CONFIG_INVALID' });
    await expect(build(deployment({ store: 'nope' }), captureLogger().logger, [sessionHandlers])).rejects.toMatchObject({ code: 'LKS_ERR_DI_NOT_FOUND' });
  });
});

describeWith(['Redis'], 'session in a Redis KV store', () => {
  it('is shared by two instances (log in on one, recognised on the other)', async () => {
    const services = [
      { name: 'redis', type: 'lokstra.redis', config: { url: REDIS_URL } },
      { name: 'sessions', type: 'lokstra.kvstore_redis', config: { redis: 'redis', prefix: `${uniqueName('sess')}:` } },
    ];
    const [a, b] = await Promise.all([0, 1].map(() => build(deployment({ store: 'sessions' }, services), captureLogger().logger, [sessionHandlers])));
    try {
      const visit = await a!.apps[0]!.inject({ method: 'POST', url: '/visit' });
      const login = await a!.apps[0]!.inject({ method: 'POST', url: '/login', headers: { cookie: cookieOf(visit) as string } });
      const res = await b!.apps[0]!.inject({ method: 'GET', url: '/state', headers: { cookie: cookieOf(login) as string } });
      expect(JSON.parse(res.body).data.auth).toMatchObject({ subject: 'alice' });
      const kv = b!.getService<KvStore>('sessions');
      const id = decodeURIComponent((cookieOf(login) as string).split('=')[1] as string).split('.')[0] as string;
      expect(await kv.get(`sess:${id}`)).toMatchObject({ auth: { subject: 'alice' } });
    } finally {
      await Promise.all([a!.close(), b!.close()]);
    }
  });
});

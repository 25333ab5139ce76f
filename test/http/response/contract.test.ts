import 'reflect-metadata';
import { IsEmail, IsNotEmpty, IsString } from 'class-validator';
import {
  Body, Context, Get, HttpError, Lokstra, Post, Raw, Route, type ErrorFormatter, type LokstraHandle, type NormalizedError,
} from '../../../src/index';
import { body, memoryLogger, type LogLine } from '../binding/harness';

// SPEC-2 §0: empty bodies, envelope: false / @Raw / ctx.json, error formatters, validation_status.

class LoginDto {
  @IsEmail() email!: string;
  @IsString() @IsNotEmpty() password!: string;
}

@Route('/raw-ctl')
@Raw()
class RawController {
  @Get('/') list(): unknown { return [{ id: 1 }]; }
  @Post('/') create(@Body() dto: LoginDto, ctx: Context): unknown { return ctx.okCreated({ email: dto.email }); }
}

@Route('/mixed')
class MixedController {
  @Get('/enveloped') enveloped(): unknown { return { a: 1 }; }
  @Raw() @Get('/raw') raw(): unknown { return { a: 1 }; }
}

@Route('/users')
class UsersController {
  @Post('/login') login(@Body() dto: LoginDto): unknown { return { user: { email: dto.email } }; }
  @Post('/logout') logout(): unknown { return undefined; }
  @Post('/ping') ping(ctx: Context): unknown { return ctx.ok({ body: ctx.body ?? null }); }
}

const seen: NormalizedError[] = [];
const conduit: ErrorFormatter = (e) => {
  seen.push(e);
  if (e.kind === 'validation') return { status: e.status, body: { errors: e.fields ?? {} } };
  return { status: e.status, headers: { 'x-formatted': 'yes' }, body: { errors: { body: [e.message] } } };
};

function lokstra(lines: LogLine[]): Lokstra {
  const lk = new Lokstra({ logger: memoryLogger(lines), modules: [] });
  lk.registry.handler('conduit.errors', conduit);
  lk.registry.handler('broken.errors', () => { throw new Error('formatter bug with secret=abc'); });
  return lk;
}

let h: LokstraHandle;
const lines: LogLine[] = [];
beforeAll(async () => {
  const lk = lokstra(lines);
  const plain = lk.app('plain', ':0');
  plain.mount(UsersController).mount(RawController).mount(MixedController);
  plain.all('/noop', (ctx: Context) => ctx.okNoContent());
  plain.get('/json', (ctx: Context) => ctx.json({ plain: true }, 202));
  plain.get('/json-string', (ctx: Context) => ctx.json('x'));
  const api = plain.group('/api').errorFormat('conduit.errors', { validationStatus: 422 }).envelope(false);
  api.mount(UsersController, { prefix: '/v1' });
  api.get('/created', (ctx: Context) => ctx.okCreated({ user: { id: 1 } }).withHeader('location', '/api/user'));
  api.get('/teapot', () => { throw new HttpError(418, 'short and stout', { code: 'TEAPOT' }); });
  api.get('/boom', () => { throw new Error('db password=hunter2 leaked'); });
  api.get('/returned', (ctx: Context) => ctx.errorNotFound('article not found'));
  api.post('/small', () => 'ok');
  plain.group('/broken').errorFormat('broken.errors').get('/x', () => { throw HttpError.notFound('x'); });
  h = await lk.build({ server: { global_setting: { body_limit: '1kb' } } } as never);
});
afterAll(async () => { await h.close(); });

const inject = (opts: Parameters<LokstraHandle['apps'][number]['inject']>[0]) => h.apps[0]!.inject(opts);
const JSON_CT = { 'content-type': 'application/json' };

describe('empty bodies from real clients (Postman, axios, Angular)', () => {
  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('runs a body-less handler for %s with Content-Type: application/json and no body', async (method) => {
    const res = await inject({ method: method as 'POST', url: '/noop', headers: JSON_CT, payload: '' });
    expect(res.statusCode).toBe(204);
  });

  it('runs a body-less controller method with an empty JSON body', async () => {
    const res = await inject({ method: 'POST', url: '/users/logout', headers: JSON_CT, payload: '' });
    expect(res.statusCode).toBe(204);
  });

  it('treats an empty form body as no body', async () => {
    const res = await inject({ method: 'POST', url: '/users/ping', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toEqual({ body: null });
  });

  it('answers 400 VALIDATION_ERROR "body is required" when a required DTO body is empty', async () => {
    const res = await inject({ method: 'POST', url: '/users/login', headers: JSON_CT, payload: '' });
    expect(res.statusCode).toBe(400);
    expect(body(res)).toMatchObject({ code: 'VALIDATION_ERROR', errors: { body: ['body is required'] } });
  });
});

describe('JSON sent without the right content type', () => {
  it('answers 415 saying to send Content-Type: application/json when a body has no content type', async () => {
    const res = await inject({ method: 'POST', url: '/users/login', payload: '{"email":"a@b.co","password":"x"}', headers: { 'content-type': '' } });
    expect(res.statusCode).toBe(415);
    expect(body(res).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(body(res).message).toContain('Content-Type: application/json');
  });

  it('answers 415 naming the fix for JSON sent as a form (curl -d), not a list of invalid fields', async () => {
    const res = await inject({ method: 'POST', url: '/users/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '{"email":"a@b.co","password":"x"}' });
    expect(res.statusCode).toBe(415);
    expect(body(res).message).toContain('Content-Type: application/json');
    expect(body(res).errors).toBeUndefined();
  });

  it('names an unsupported content type and what to send instead', async () => {
    const res = await inject({ method: 'POST', url: '/users/login', headers: { 'content-type': 'text/plain' }, payload: 'hi' });
    expect(res.statusCode).toBe(415);
    expect(body(res).message).toContain("'text/plain'");
  });
});

describe('envelope off', () => {
  it('sends a @Raw() controller value as plain JSON', async () => {
    const res = await inject({ method: 'GET', url: '/raw-ctl' });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual([{ id: 1 }]);
  });

  it('keeps the status of ctx helpers under @Raw()', async () => {
    const res = await inject({ method: 'POST', url: '/raw-ctl', headers: JSON_CT, payload: { email: 'a@b.co', password: 'x' } });
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(res.body)).toEqual({ email: 'a@b.co' });
  });

  it('keeps the error envelope under @Raw() when no error formatter is set', async () => {
    const res = await inject({ method: 'POST', url: '/raw-ctl', headers: JSON_CT, payload: { email: 'nope', password: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(body(res)).toMatchObject({ code: 'VALIDATION_ERROR', success: false });
  });

  it('applies @Raw() on one method only', async () => {
    expect(JSON.parse((await inject({ method: 'GET', url: '/mixed/raw' })).body)).toEqual({ a: 1 });
    expect(body(await inject({ method: 'GET', url: '/mixed/enveloped' }))).toMatchObject({ code: 'OK', data: { a: 1 } });
  });

  it('sends ctx.json anywhere with its status, JSON-encoding strings', async () => {
    const res = await inject({ method: 'GET', url: '/json' });
    expect(res.statusCode).toBe(202);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toEqual({ plain: true });
    expect((await inject({ method: 'GET', url: '/json-string' })).body).toBe('"x"');
  });

  it('sends a group with envelope(false) as plain data, status and headers kept', async () => {
    const res = await inject({ method: 'GET', url: '/api/created' });
    expect(res.statusCode).toBe(201);
    expect(res.headers['location']).toBe('/api/user');
    expect(JSON.parse(res.body)).toEqual({ user: { id: 1 } });
  });
});

describe('error formatter', () => {
  beforeEach(() => { seen.length = 0; });

  it('shapes validation errors with field paths, constraints and validation_status 422', async () => {
    const res = await inject({ method: 'POST', url: '/api/v1/users/login', headers: JSON_CT, payload: { email: 'nope', password: '' } });
    expect(res.statusCode).toBe(422);
    expect(JSON.parse(res.body)).toEqual({ errors: { email: [expect.any(String)], password: [expect.any(String)] } });
    expect(seen[0]).toMatchObject({ kind: 'validation', status: 422, code: 'VALIDATION_ERROR' });
    expect(seen[0]!.constraints).toEqual({ email: ['isEmail'], password: ['isNotEmpty'] });
  });

  it('sees a required-but-empty body as a validation error', async () => {
    const res = await inject({ method: 'POST', url: '/api/v1/users/login', headers: JSON_CT, payload: '' });
    expect(res.statusCode).toBe(422);
    expect(JSON.parse(res.body)).toEqual({ errors: { body: ['body is required'] } });
  });

  it('shapes a thrown HttpError, keeping its status', async () => {
    const res = await inject({ method: 'GET', url: '/api/teapot' });
    expect(res.statusCode).toBe(418);
    expect(res.headers['x-formatted']).toBe('yes');
    expect(JSON.parse(res.body)).toEqual({ errors: { body: ['short and stout'] } });
    expect(seen[0]).toMatchObject({ kind: 'http', code: 'TEAPOT' });
  });

  it('shapes an error Response returned by a handler', async () => {
    const res = await inject({ method: 'GET', url: '/api/returned' });
    expect(res.statusCode).toBe(404);
    expect(JSON.parse(res.body)).toEqual({ errors: { body: ['article not found'] } });
  });

  it('shapes an unexpected error as a generic 500 and keeps the details in the logs only', async () => {
    const res = await inject({ method: 'GET', url: '/api/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('hunter2');
    expect(JSON.parse(res.body)).toEqual({ errors: { body: ['Internal server error'] } });
    expect(seen[0]).toMatchObject({ kind: 'internal', status: 500 });
    expect(lines.some((l) => l.message === 'request failed')).toBe(true);
  });

  it.each([
    ['an unmatched path under the prefix (404)', { method: 'GET', url: '/api/nothing-here' }, 404, 'NOT_FOUND'],
    ['a wrong method (405, Allow kept)', { method: 'DELETE', url: '/api/created' }, 405, 'METHOD_NOT_ALLOWED'],
    ['malformed JSON (400)', { method: 'POST', url: '/api/small', headers: JSON_CT, payload: '{"a":' }, 400, 'BAD_REQUEST'],
    ['a body over body_limit (413)', { method: 'POST', url: '/api/small', headers: JSON_CT, payload: JSON.stringify({ a: 'x'.repeat(4096) }) }, 413, 'PAYLOAD_TOO_LARGE'],
    ['an unsupported content type (415)', { method: 'POST', url: '/api/small', headers: { 'content-type': 'text/plain' }, payload: 'x' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
  ] as const)('shapes framework errors: %s', async (_what, req, status, code) => {
    const res = await inject(req as never);
    expect(res.statusCode).toBe(status);
    expect(res.headers['x-formatted']).toBe('yes');
    expect(JSON.parse(res.body)).toEqual({ errors: { body: [expect.any(String)] } });
    expect(seen[0]).toMatchObject({ kind: 'framework', code });
    if (status === 405) expect(res.headers['allow']).toContain('GET');
  });

  it('leaves errors outside the scope in Lokstra\'s envelope', async () => {
    const res = await inject({ method: 'GET', url: '/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(body(res)).toMatchObject({ code: 'NOT_FOUND', success: false });
    expect(seen).toHaveLength(0);
  });

  it('answers the default 500 envelope and logs LKS_ERR_RESPONSE_FORMAT_FAILED when the formatter throws', async () => {
    const res = await inject({ method: 'GET', url: '/broken/x' });
    expect(res.statusCode).toBe(500);
    expect(body(res)).toMatchObject({ code: 'INTERNAL_ERROR', success: false });
    expect(lines.some((l) => l.meta?.['code'] === 'LKS_ERR_RESPONSE_FORMAT_FAILED')).toBe(true);
  });
});

describe('error formatter from YAML-shaped config', () => {
  it('reads envelope, error_format and validation_status on an app and envelope on a route', async () => {
    const lk = lokstra([]);
    lk.registry.handler('me', (ctx: Context) => ctx.ok({ user: { name: 'a' } }));
    lk.registry.handler('wrapped', (ctx: Context) => ctx.ok({ x: 1 }));
    const handle = await lk.build({
      apps: [{
        name: 'conduit', address: ':0', envelope: false, error_format: 'conduit.errors', validation_status: 422,
        routes: [{ method: 'GET', path: '/user', handler: 'me' }, { method: 'GET', path: '/wrapped', handler: 'wrapped', envelope: true }],
      }],
    });
    try {
      const app = handle.apps[0]!;
      expect(JSON.parse((await app.inject({ method: 'GET', url: '/user' })).body)).toEqual({ user: { name: 'a' } });
      expect(body(await app.inject({ method: 'GET', url: '/wrapped' }))).toMatchObject({ code: 'OK', data: { x: 1 } });
      const missing = await app.inject({ method: 'GET', url: '/nope' });
      expect(missing.statusCode).toBe(404);
      expect(JSON.parse(missing.body)).toEqual({ errors: { body: ['Not found'] } });
    } finally {
      await handle.close();
    }
  });

  it('fails boot naming the key when error_format names no registered handler', async () => {
    const lk = lokstra([]);
    await expect(lk.build({ apps: [{ name: 'a', address: ':0', error_format: 'nope', routes: [] }] })).rejects.toMatchObject({ code: 'LKS_ERR_ROUTE_HANDLER_NOT_FOUND' });
  });
});

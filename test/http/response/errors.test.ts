import 'reflect-metadata';
import { Context, Get, HttpError, Lokstra, Module, Route, type LokstraHandle } from '../../../src/index';
import { body, expectEnvelopeOrder, memoryLogger, type LogLine } from '../binding/harness';

// SPEC §5.3: thrown errors become envelopes; only HttpError keeps its status; nothing internal leaks.
// SPEC §3/§5.1: unknown route → 404 envelope, wrong method → 405 envelope with Allow, OPTIONS → 204.

const SECRET_SQL = 'SELECT password_hash FROM users WHERE id = 1';
const SECRET_DSN = 'postgres://admin:s3cr3t@db.internal:5432/app';
const SECRET_PATH = '/srv/app/node_modules/pg/lib/client.js';

@Route('/ctl')
class ThrowingController {
  @Get('/http-error')
  httpError() { throw new HttpError(422, 'cannot ship', { code: 'NOT_SHIPPABLE', errors: { items: ['out of stock'] } }); }

  @Get('/async-plain-error')
  async asyncPlain() { throw new Error(`connect failed: ${SECRET_DSN}`); }

  @Get('/only-get')
  onlyGet() { return 'ok'; }
}

@Module({ controllers: [ThrowingController] })
class ThrowModule {}

const logLines: LogLine[] = [];
let h: LokstraHandle;

beforeAll(async () => {
  const lk = new Lokstra({ modules: [ThrowModule], logger: memoryLogger(logLines) });
  const app = lk.app('api', ':0');
  app.mount(ThrowModule);
  const thrower = (value: () => unknown) => () => { throw value(); };
  app.get('/throw/http-422', thrower(() => new HttpError(422, 'cannot ship', { code: 'NOT_SHIPPABLE', errors: { items: ['out of stock'] } })));
  app.get('/throw/http-cause', thrower(() => new HttpError(409, 'email taken', { cause: new Error(`duplicate key: ${SECRET_SQL}`) })));
  app.get('/throw/http-meta', thrower(() => new HttpError(402, 'pay up', { code: 'PAYMENT_REQUIRED', meta: { plan: 'pro' }, headers: { 'x-plan': 'pro' } })));
  app.get('/throw/not-found', thrower(() => HttpError.notFound('no such user')));
  app.get('/throw/bad-request', thrower(() => HttpError.badRequest('bad', { q: ['short'] })));
  app.get('/throw/validation', thrower(() => HttpError.validation('invalid', { email: ['bad'] })));
  app.get('/throw/unauthorized', thrower(() => HttpError.unauthorized('log in', 'Bearer')));
  app.get('/throw/forbidden', thrower(() => HttpError.forbidden('no')));
  app.get('/throw/conflict', thrower(() => HttpError.conflict('clash')));
  app.get('/throw/duplicate', thrower(() => HttpError.duplicate('again')));
  app.get('/throw/too-many', thrower(() => HttpError.tooManyRequests('slow', 7)));
  app.get('/throw/internal', thrower(() => HttpError.internal()));
  app.get('/throw/unavailable', thrower(() => HttpError.serviceUnavailable('later', 30)));
  app.get('/throw/string', thrower(() => 'boom'));
  app.get('/throw/object', thrower(() => ({ sql: SECRET_SQL })));
  app.get('/throw/null', thrower(() => null));
  app.get('/throw/undefined', thrower(() => undefined));
  app.get('/throw/number', thrower(() => 42));
  app.get('/throw/plain-error', thrower(() => new Error(`query failed: ${SECRET_SQL} at ${SECRET_PATH}`)));
  app.get('/throw/type-error', (ctx: Context) => (ctx.get('missing') as { x: { y: number } }).x.y);
  app.get('/throw/status-error', thrower(() => Object.assign(new Error(`upstream said 401 for ${SECRET_DSN}`), { statusCode: 401 })));
  app.get('/throw/status-object', thrower(() => ({ statusCode: 404, message: SECRET_SQL })));
  app.get('/throw/rejected', () => Promise.reject(new Error(SECRET_SQL)));
  app.get('/ok', (ctx: Context) => ctx.ok('up'));
  app.get('/things', (ctx: Context) => ctx.ok([]));
  app.post('/things', (ctx: Context) => ctx.okCreated({}));
  app.get('/things/:id', (ctx: Context) => ctx.ok({}));
  h = await lk.build({});
});
afterAll(async () => { await h.close(); });

const inject = (method: string, url: string) => h.apps[0]!.inject({ method: method as 'GET', url });
const get = (url: string) => inject('GET', url);

describe('HttpError keeps its status and code', () => {
  it.each(['/throw/http-422', '/ctl/http-error'])('answers new HttpError(422, …, { code: NOT_SHIPPABLE, errors }) with 422 NOT_SHIPPABLE (%s)', async (url) => {
    const res = await get(url);
    expect(res.statusCode).toBe(422);
    expect(body(res)).toEqual({ code: 'NOT_SHIPPABLE', success: false, message: 'cannot ship', errors: { items: ['out of stock'] } });
    expectEnvelopeOrder(res);
  });

  it('keeps meta and headers of an HttpError', async () => {
    const res = await get('/throw/http-meta');
    expect(res.statusCode).toBe(402);
    expect(res.headers['x-plan']).toBe('pro');
    expect(body(res)).toEqual({ code: 'PAYMENT_REQUIRED', success: false, message: 'pay up', meta: { plan: 'pro' } });
  });

  it('never serialises the cause of an HttpError', async () => {
    const res = await get('/throw/http-cause');
    expect(res.statusCode).toBe(409);
    expect(body(res)).toEqual({ code: 'CONFLICT', success: false, message: 'email taken' });
    expect(res.body).not.toContain('password_hash');
  });

  it.each([
    ['notFound', '/throw/not-found', 404, 'NOT_FOUND'],
    ['badRequest', '/throw/bad-request', 400, 'BAD_REQUEST'],
    ['validation', '/throw/validation', 400, 'VALIDATION_ERROR'],
    ['unauthorized', '/throw/unauthorized', 401, 'UNAUTHORIZED'],
    ['forbidden', '/throw/forbidden', 403, 'FORBIDDEN'],
    ['conflict', '/throw/conflict', 409, 'CONFLICT'],
    ['duplicate', '/throw/duplicate', 409, 'DUPLICATE'],
    ['tooManyRequests', '/throw/too-many', 429, 'TOO_MANY_REQUESTS'],
    ['internal', '/throw/internal', 500, 'INTERNAL_ERROR'],
    ['serviceUnavailable', '/throw/unavailable', 503, 'SERVICE_UNAVAILABLE'],
  ])('answers HttpError.%s with %s → %i %s', async (_name, url, status, code) => {
    const res = await get(url);
    expect(res.statusCode).toBe(status);
    expect(body(res)).toMatchObject({ code, success: false });
    expectEnvelopeOrder(res);
  });

  it('keeps field errors of HttpError.badRequest and HttpError.validation', async () => {
    expect(body(await get('/throw/bad-request')).errors).toEqual({ q: ['short'] });
    expect(body(await get('/throw/validation')).errors).toEqual({ email: ['bad'] });
  });

  it('sets WWW-Authenticate for HttpError.unauthorized with a scheme', async () => {
    expect((await get('/throw/unauthorized')).headers['www-authenticate']).toBe('Bearer');
  });

  it('sets Retry-After for HttpError.tooManyRequests and serviceUnavailable', async () => {
    expect((await get('/throw/too-many')).headers['retry-after']).toBe('7');
    expect((await get('/throw/unavailable')).headers['retry-after']).toBe('30');
  });
});

describe('any other thrown value is a generic 500', () => {
  it.each([
    ['a string', '/throw/string', 'boom'],
    ['a plain object', '/throw/object', 'SELECT'],
    ['null', '/throw/null', 'null'],
    ['undefined', '/throw/undefined', 'undefined'],
    ['a number', '/throw/number', '42'],
    ['an Error with an internal message', '/throw/plain-error', 'SELECT'],
    ['an async Error with a connection string', '/ctl/async-plain-error', 's3cr3t'],
    ['a TypeError from handler code', '/throw/type-error', 'Cannot read'],
    ['a rejected promise', '/throw/rejected', 'password_hash'],
    ['an Error carrying a statusCode', '/throw/status-error', 's3cr3t'],
    ['a plain object carrying a statusCode', '/throw/status-object', 'SELECT'],
  ])('answers %s with 500 INTERNAL_ERROR and a generic message', async (_what, url, internal) => {
    const res = await get(url);
    expect(res.statusCode).toBe(500);
    const b = body(res);
    expect(b).toEqual({ code: 'INTERNAL_ERROR', success: false, message: b.message });
    expect(typeof b.message).toBe('string');
    expect(res.body).not.toContain(internal);
    expect(res.body).not.toContain('password_hash');
    expect(res.body).not.toContain('db.internal');
    expect(res.body).not.toContain('/srv/app');
    expect(res.body).not.toMatch(/\bat\s.+:\d+:\d+/);
  });

  it('gives every internal failure the same generic message', async () => {
    const messages = new Set<string>();
    for (const url of ['/throw/string', '/throw/object', '/throw/plain-error', '/ctl/async-plain-error']) {
      messages.add(body(await get(url)).message as string);
    }
    expect(messages.size).toBe(1);
  });

  it('logs the real error with the request id', async () => {
    const before = logLines.length;
    const res = await h.apps[0]!.inject({ method: 'GET', url: '/throw/plain-error', headers: { 'x-request-id': 'req-abc-123' } });
    expect(res.statusCode).toBe(500);
    const logged = JSON.stringify(logLines.slice(before).filter((l) => l.level === 'error'));
    expect(logged).toContain('password_hash');
    expect(logged).toContain('req-abc-123');
  });

  it('keeps serving after a thrown non-Error', async () => {
    await get('/throw/string');
    await get('/throw/undefined');
    const res = await get('/ok');
    expect(res.statusCode).toBe(200);
    expect(body(res)).toEqual({ code: 'OK', success: true, data: 'up' });
  });
});

describe('routing errors are envelopes', () => {
  it('answers an unknown route with a 404 NOT_FOUND envelope', async () => {
    const res = await get('/no/such/route');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(body(res)).toMatchObject({ code: 'NOT_FOUND', success: false });
    expectEnvelopeOrder(res);
  });

  it('answers an unknown route with a body with a 404 envelope', async () => {
    const res = await h.apps[0]!.inject({ method: 'POST', url: '/no/such/route', headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect(res.statusCode).toBe(404);
    expect(body(res).code).toBe('NOT_FOUND');
  });

  it.each(['PUT', 'PATCH', 'DELETE'])('answers %s on a GET/POST path with a 405 METHOD_NOT_ALLOWED envelope and Allow', async (method) => {
    const res = await inject(method, '/things');
    expect(res.statusCode).toBe(405);
    expect(body(res)).toMatchObject({ code: 'METHOD_NOT_ALLOWED', success: false });
    expectEnvelopeOrder(res);
    const allow = String(res.headers.allow).split(/,\s*/).sort();
    expect(allow).toEqual(['GET', 'HEAD', 'OPTIONS', 'POST']);
  });

  it('answers a wrong method on a parameterised path with 405 and Allow', async () => {
    const res = await inject('DELETE', '/things/5');
    expect(res.statusCode).toBe(405);
    expect(String(res.headers.allow).split(/,\s*/).sort()).toEqual(['GET', 'HEAD', 'OPTIONS']);
  });

  it('answers a wrong method on a controller route with 405', async () => {
    const res = await inject('POST', '/ctl/only-get');
    expect(res.statusCode).toBe(405);
    expect(body(res).code).toBe('METHOD_NOT_ALLOWED');
  });

  it('answers a plain OPTIONS with 204 and Allow', async () => {
    const res = await inject('OPTIONS', '/things');
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(String(res.headers.allow).split(/,\s*/).sort()).toEqual(['GET', 'HEAD', 'OPTIONS', 'POST']);
  });

  it('answers a malformed percent-encoding in the path with a 400 envelope', async () => {
    const res = await get('/things/%E0%A4%A');
    expect(res.statusCode).toBe(400);
    expect(body(res)).toMatchObject({ code: 'BAD_REQUEST', success: false });
    expectEnvelopeOrder(res);
  });

  it('answers HEAD on a GET route with 200 and no body', async () => {
    const res = await inject('HEAD', '/things');
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
  });
});

import 'reflect-metadata';
import { Context, defineModule, Lokstra, type LokstraHandle } from '../../src/index';
import { expectBootError } from '../http/routing/harness';
import { originMatcher } from '../../src/middleware/cors';
import { build, captureLogger } from './harness';

const CORS_HEADERS = ['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-allow-methods', 'access-control-allow-headers', 'access-control-expose-headers', 'access-control-max-age'];

function corsHeadersOf(headers: Record<string, unknown>): string[] {
  return CORS_HEADERS.filter((h) => headers[h] !== undefined);
}

const preflight = (url: string, origin: string, method = 'POST', extra: Record<string, string> = {}) => ({
  method: 'OPTIONS' as const, url, headers: { origin, 'access-control-request-method': method, ...extra },
});

describe('cors', () => {
  let h: LokstraHandle;
  beforeAll(async () => {
    h = await build({
      apps: [{
        name: 'api', address: ':0', middleware: ['request_id'],
        routes: [{ method: 'GET', path: '/nocors', handler: 'ok' }],
        groups: [
          {
            prefix: '/api',
            middleware: [{ name: 'cors', config: { allowed_origins: ['https://app.example.com', 'https://*.example.org'], allow_credentials: true, exposed_headers: ['x-total'], allowed_headers: ['content-type', 'authorization'], allowed_methods: ['GET', 'POST'], max_age: 600 } }],
            routes: [
              { method: 'GET', path: '/users', handler: 'ok' }, { method: 'POST', path: '/users', handler: 'echo' },
              { method: 'GET', path: '/users/:id', handler: 'ok' },
            ],
          },
          { prefix: '/open', middleware: ['cors'], routes: [{ method: 'GET', path: '/x', handler: 'ok' }, { method: 'DELETE', path: '/x', handler: 'ok' }] },
        ],
      }],
    }, captureLogger().logger);
  });
  afterAll(() => h.close());

  it('answers a preflight from an allowed origin with 204 and the CORS headers, though no route declares OPTIONS', async () => {
    const res = await h.apps[0]!.inject(preflight('/api/users', 'https://app.example.com', 'POST', { 'access-control-request-headers': 'content-type' }));
    expect(res.statusCode).toBe(204);
    expect(res.headers).toMatchObject({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'content-type, authorization',
      'access-control-max-age': '600',
    });
    expect(String(res.headers.vary)).toMatch(/origin/i);
    expect(res.headers['x-request-id']).toBeDefined();
    expect(res.body).toBe('');
  });

  it('answers a preflight for a parameterised path', async () => {
    const res = await h.apps[0]!.inject(preflight('/api/users/7', 'https://a.b.example.org', 'GET'));
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://a.b.example.org');
  });

  it('gives a disallowed origin no CORS headers at all, preflight or not', async () => {
    const pre = await h.apps[0]!.inject(preflight('/api/users', 'https://evil.test'));
    expect(corsHeadersOf(pre.headers)).toEqual([]);
    expect(pre.statusCode).toBe(204);
    expect(pre.headers.allow).toBe('GET, HEAD, POST, OPTIONS');
    const get = await h.apps[0]!.inject({ url: '/api/users', headers: { origin: 'https://evil.test' } });
    expect(get.statusCode).toBe(200);
    expect(corsHeadersOf(get.headers)).toEqual([]);
    expect(String(get.headers.vary)).toMatch(/origin/i);
  });

  it('adds the CORS headers to actual requests from an allowed origin', async () => {
    const res = await h.apps[0]!.inject({ url: '/api/users', headers: { origin: 'https://app.example.com' } });
    expect(res.headers).toMatchObject({ 'access-control-allow-origin': 'https://app.example.com', 'access-control-allow-credentials': 'true', 'access-control-expose-headers': 'x-total' });
    expect(res.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('anchors origin patterns at both ends (* is one or more DNS labels)', async () => {
    for (const origin of ['https://example.org', 'https://evil-example.org', 'https://a.example.org.evil.net', 'http://a.example.org', 'https://a.example.org:8443', 'https://app.example.com.evil.net']) {
      const res = await h.apps[0]!.inject({ url: '/api/users', headers: { origin } });
      expect({ origin, acao: res.headers['access-control-allow-origin'] }).toEqual({ origin, acao: undefined });
    }
  });

  it('treats a bare OPTIONS as no preflight: 204 with Allow', async () => {
    const res = await h.apps[0]!.inject({ method: 'OPTIONS', url: '/api/users' });
    expect(res.statusCode).toBe(204);
    expect(res.headers.allow).toBe('GET, HEAD, POST, OPTIONS');
    expect(res.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('uses the CORS config of the route the preflight asks about', async () => {
    // /nocors has no cors: its preflight gets no CORS answer.
    const res = await h.apps[0]!.inject(preflight('/nocors', 'https://app.example.com', 'GET'));
    expect(corsHeadersOf(res.headers)).toEqual([]);
    // A method with no route at that path is not allowed either.
    const put = await h.apps[0]!.inject(preflight('/api/users', 'https://app.example.com', 'PUT'));
    expect(corsHeadersOf(put.headers)).toEqual([]);
  });

  it('answers 404 to a preflight for an unknown path', async () => {
    expect((await h.apps[0]!.inject(preflight('/nowhere', 'https://app.example.com'))).statusCode).toBe(404);
  });

  it('allows any origin with the defaults (allowed_origins ["*"], no credentials, max_age 86400)', async () => {
    const pre = await h.apps[0]!.inject(preflight('/open/x', 'https://anything.test', 'DELETE'));
    expect(pre.statusCode).toBe(204);
    expect(pre.headers).toMatchObject({ 'access-control-allow-origin': '*', 'access-control-max-age': '86400', 'access-control-allow-methods': 'GET, HEAD, POST, PUT, PATCH, DELETE' });
    expect(pre.headers['access-control-allow-credentials']).toBeUndefined();
    const get = await h.apps[0]!.inject({ url: '/open/x', headers: { origin: 'https://anything.test' } });
    expect(get.headers['access-control-allow-origin']).toBe('*');
  });

  it('leaves routes without cors alone', async () => {
    const res = await h.apps[0]!.inject({ url: '/nocors', headers: { origin: 'https://app.example.com' } });
    expect(corsHeadersOf(res.headers)).toEqual([]);
  });
});

describe('cors at boot', () => {
  it('refuses allow_credentials with a literal "*"', async () => {
    const err = await expectBootError(build({
      apps: [{ name: 'api', address: ':0', middleware: [{ name: 'cors', config: { allow_credentials: true } }], routes: [{ method: 'GET', path: '/x', handler: 'ok' }] }],
    }, captureLogger().logger), 'LKS_ERR_MIDDLEWARE_INVALID');
    expect(err.message).toContain('allow_credentials');
  });

  it('names the collision when an ALL /* route meets the OPTIONS * route of @fastify/cors', async () => {
    const mod = defineModule({ name: 'catch-all', handlers: { all: (ctx: Context) => ctx.ok('all') } });
    await expectBootError(Lokstra.build({
      apps: [{ name: 'api', address: ':0', middleware: ['cors'], routes: [{ method: 'ALL', path: '/*', handler: 'all' }] }],
    }, { modules: [mod], logger: captureLogger().logger }), 'LKS_ERR_ROUTE_DUPLICATE');
  });
});

describe('origin patterns', () => {
  it.each([
    ['https://*.example.com', 'https://a.example.com', true],
    ['https://*.example.com', 'https://a.b.example.com', true],
    ['https://*.example.com', 'https://example.com', false],
    ['https://*.example.com', 'https://a.example.com.evil.com', false],
    ['https://*.example.com', 'https://aexample.com', false],
    ['https://*.example.com', 'http://a.example.com', false],
    ['https://app.example.com', 'https://APP.example.com', true],
    ['https://app.example.com', 'https://app.example.com.evil', false],
  ])('%s vs %s → %s', (pattern, origin, allowed) => {
    expect(originMatcher(pattern)(origin)).toBe(allowed);
  });
});

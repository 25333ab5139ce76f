/**
 * Issue 12 (Low): security headers on unmatched 404s, a second `Host` header → 400, a request body
 * in a `Content-Encoding` Lokstra does not decode → 415, unknown methods share one metrics `method`
 * label, and objects wider than `max_object_keys` → 400. Raw sockets, so duplicate headers and
 * encoded bodies reach the server exactly as sent.
 */
import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { Lokstra, type LokstraHandle, type MetricsService } from '../../src/index';
import { memoryLogger } from '../helpers/memory-logger';
import { installFaultHooks } from './helpers/guard';
import { rawRequest, type RawResponse } from './helpers/raw-http';

let h: LokstraHandle;
let port = 0;
installFaultHooks(() => (port ? `http://127.0.0.1:${port}/health/live` : undefined));

beforeAll(async () => {
  const lk = new Lokstra({ logger: memoryLogger() });
  const app = lk.app('api', '127.0.0.1:0');
  app.use('security_headers');
  app.get('/hello', (ctx) => ctx.ok({ host: ctx.req.headers.host }));
  app.post('/echo', (ctx) => ctx.ok(ctx.body));
  h = await lk.build({
    server: { global_setting: { max_object_keys: 50 } },
    services: [{ name: 'health', type: 'lokstra.health_check' }, { name: 'metrics', type: 'lokstra.metrics', config: { default_metrics: false } }],
  } as never);
  await h.listen();
  port = Number(new URL(h.apps[0]?.url ?? '').port);
});
afterAll(() => h.close());

const envelope = (res: RawResponse): Record<string, unknown> => JSON.parse(res.text) as Record<string, unknown>;

describe('security headers on every answer of the app', () => {
  it.each(['/nowhere', '/nowhere/%2e%2e/x', '/hello/extra'])('an unmatched %s (404) carries them, like a matched route', async (target) => {
    const matched = await rawRequest(port, { target: '/hello' });
    const res = await rawRequest(port, { target });
    expect(res.status).toBe(404);
    expect(envelope(res)).toMatchObject({ code: 'NOT_FOUND' });
    for (const name of ['x-content-type-options', 'x-frame-options', 'content-security-policy', 'strict-transport-security', 'referrer-policy']) {
      expect(matched.headers[name]).toBeDefined();
      expect(res.headers[name]).toBe(matched.headers[name]);
    }
  });
  it('a 405 carries them too', async () => {
    const res = await rawRequest(port, { method: 'DELETE', target: '/hello' });
    expect(res.status).toBe(405);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('a second Host header', () => {
  it.each([
    [['Host', 'localhost'], ['Host', 'evil.example']],
    [['Host', 'localhost'], ['host', 'localhost']],
    [['HOST', 'a'], ['Host', 'b']],
  ])('%j + %j → 400 BAD_REQUEST envelope, handler not run', async (first, second) => {
    const res = await rawRequest(port, { target: '/hello', headers: [first as [string, string], second as [string, string]], host: false });
    expect(res.status).toBe(400);
    expect(envelope(res)).toEqual({ code: 'BAD_REQUEST', success: false, message: 'Duplicate Host header' });
  });
  it('also on unmatched paths and POSTs', async () => {
    expect((await rawRequest(port, { target: '/nowhere', headers: [['Host', 'a'], ['Host', 'b']], host: false })).status).toBe(400);
    const post = await rawRequest(port, { method: 'POST', target: '/echo', headers: [['Host', 'a'], ['Host', 'b'], ['Content-Type', 'application/json']], body: '{}', host: false });
    expect(post.status).toBe(400);
  });
  it('one Host is served', async () => {
    const res = await rawRequest(port, { target: '/hello', headers: [['Host', 'example.com']], host: false });
    expect(res.status).toBe(200);
    expect(envelope(res)).toMatchObject({ data: { host: 'example.com' } });
  });
});

describe('request bodies in a Content-Encoding Lokstra does not decode', () => {
  const json = JSON.stringify({ a: 1 });
  it.each(['gzip', 'GZIP', 'br', 'deflate', 'x-gzip', 'compress', 'zstd', 'gzip, identity', 'identity, gzip', 'rot13'])('%s → 415 UNSUPPORTED_MEDIA_TYPE', async (encoding) => {
    const res = await rawRequest(port, { method: 'POST', target: '/echo', headers: { 'Content-Type': 'application/json', 'Content-Encoding': encoding }, body: gzipSync(json) });
    expect(res.status).toBe(415);
    expect(envelope(res)).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', success: false });
  });
  it('a form or a body without Content-Type too, chunked as well', async () => {
    const form = await rawRequest(port, { method: 'POST', target: '/echo', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Encoding': 'gzip' }, body: gzipSync('a=1') });
    expect(form.status).toBe(415);
    const bare = await rawRequest(port, { method: 'POST', target: '/echo', headers: { 'Content-Encoding': 'gzip' }, body: gzipSync(json) });
    expect(bare.status).toBe(415);
    const body = gzipSync(json);
    const chunked = await rawRequest(port, {
      method: 'POST', target: '/echo', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', 'Transfer-Encoding': 'chunked' },
      body: Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]),
    });
    expect(chunked.status).toBe(415);
  });
  it('identity, or an encoding header without a body, is fine', async () => {
    const identity = await rawRequest(port, { method: 'POST', target: '/echo', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'identity' }, body: json });
    expect(identity.status).toBe(200);
    expect(envelope(identity)).toMatchObject({ data: { a: 1 } });
    expect((await rawRequest(port, { target: '/hello', headers: { 'Content-Encoding': 'gzip' } })).status).toBe(200);
  });
});

describe('reverse-proxy routes forward encoded bodies untouched', () => {
  let upstream: Server;
  let proxy: LokstraHandle;
  let proxyPort = 0;
  const seen: { encoding?: string; bytes: number }[] = [];
  beforeAll(async () => {
    upstream = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
        seen.push({ encoding: req.headers['content-encoding'], bytes: Buffer.concat(chunks).length });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const target = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    proxy = await Lokstra.build({ apps: [{ name: 'px', address: '127.0.0.1:0', mount_reverse_proxy: [{ prefix: '/up', target }] }] } as never, { logger: memoryLogger() });
    await proxy.listen();
    proxyPort = Number(new URL(proxy.apps[0]?.url ?? '').port);
  });
  afterAll(async () => {
    await proxy.close();
    await new Promise((r) => upstream.close(r));
  });
  it('a gzip JSON body reaches the upstream as sent (no 415 on a proxied route)', async () => {
    const body = gzipSync(JSON.stringify({ a: 1 }));
    const res = await rawRequest(proxyPort, { method: 'POST', target: '/up/x', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, body });
    expect(res.status).toBe(200);
    expect(seen.at(-1)).toEqual({ encoding: 'gzip', bytes: body.length });
  });
});

describe('metrics method label', () => {
  it('maps methods outside the standard nine to "other" (one series, whatever the client sends)', async () => {
    for (const method of ['PROPFIND', 'MKCOL', 'PURGE', 'SEARCH', 'LOCK']) await rawRequest(port, { method, target: '/hello' });
    await rawRequest(port, { method: 'GET', target: '/hello' });
    const text = await h.getService<MetricsService>('metrics').metrics();
    const methods = new Set([...text.matchAll(/http_requests_total\{method="([^"]*)"/g)].map((m) => m[1]));
    expect(methods.has('other')).toBe(true);
    expect(methods.has('GET')).toBe(true);
    for (const m of methods) expect(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'other']).toContain(m);
  });
});

describe('max_object_keys caps the width of body objects', () => {
  const wide = (n: number): Record<string, number> => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
  it('an object with more keys than max_object_keys (50 here), at any depth, is a 400', async () => {
    for (const body of [wide(51), { nested: { deeper: [wide(51)] } }]) {
      const res = await rawRequest(port, { method: 'POST', target: '/echo', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status).toBe(400);
      expect(envelope(res)).toMatchObject({ code: 'BAD_REQUEST', message: 'an object has more than 50 keys' });
    }
  });
  it('a form with too many fields is a 400 too; at the cap is accepted', async () => {
    const form = Array.from({ length: 51 }, (_, i) => `f${i}=1`).join('&');
    expect((await rawRequest(port, { method: 'POST', target: '/echo', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form })).status).toBe(400);
    const ok = await rawRequest(port, { method: 'POST', target: '/echo', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(wide(50)) });
    expect(ok.status).toBe(200);
  });
});

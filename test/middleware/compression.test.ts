import 'reflect-metadata';
import { Readable } from 'node:stream';
import { brotliDecompressSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import { Context, defineModule, type LokstraHandle } from '../../src/index';
import { build, captureLogger } from './harness';

const payload = { items: Array.from({ length: 1200 }, (_, i) => ({ id: i, name: `user-${i}`, email: `user${i}@example.com`, bio: 'x'.repeat(20) })) };

const mod = defineModule({
  name: 'compression-handlers',
  handlers: {
    big100k: (ctx: Context) => ctx.ok(payload),
    small: (ctx: Context) => ctx.ok({ tiny: true }),
    pre: (ctx: Context) => ctx.raw('application/json', gzipSync(Buffer.from(JSON.stringify(payload)))).withHeader('content-encoding', 'gzip'),
    stream: (ctx: Context) => ctx.stream(Readable.from((function* lines() { for (let i = 0; i < 2000; i++) yield `line ${i} ${'y'.repeat(40)}\n`; })()), 'text/plain; charset=utf-8'),
    image: (ctx: Context) => ctx.raw('image/png', Buffer.alloc(5000, 7)),
  },
});

function decode(encoding: string | undefined, body: Buffer): Buffer {
  switch (encoding) {
    case 'gzip': return gunzipSync(body);
    case 'deflate': return inflateSync(body);
    case 'br': return brotliDecompressSync(body);
    default: return body;
  }
}

describe('compression', () => {
  let h: LokstraHandle;
  beforeAll(async () => {
    h = await build({
      apps: [{
        name: 'api', address: ':0', middleware: ['compression', 'cors'],
        routes: [
          { method: 'GET', path: '/big', handler: 'big100k' }, { method: 'GET', path: '/small', handler: 'small' },
          { method: 'GET', path: '/pre', handler: 'pre' }, { method: 'GET', path: '/stream', handler: 'stream' },
          { method: 'GET', path: '/image', handler: 'image' },
          { method: 'GET', path: '/plain', handler: 'big100k', override_middleware: true },
        ],
        groups: [
          { prefix: '/gzip-only', middleware: [{ name: 'compression', config: { encodings: ['gzip'] } }], routes: [{ method: 'GET', path: '/big', handler: 'big100k' }] },
          { prefix: '/high', middleware: [{ name: 'compression', config: { threshold: 200000 } }], routes: [{ method: 'GET', path: '/big', handler: 'big100k' }] },
          { prefix: '/level', middleware: [{ name: 'gzipcompression', config: { level: 1 } }], routes: [{ method: 'GET', path: '/big', handler: 'big100k' }] },
        ],
      }],
    }, captureLogger().logger, [mod]);
  });
  afterAll(() => h.close());

  const expected = JSON.stringify({ code: 'OK', success: true, data: payload });

  it.each([['gzip'], ['deflate'], ['br']])('compresses a 100 KB JSON body with %s, and the full body round-trips', async (encoding) => {
    const res = await h.apps[0]!.inject({ url: '/big', headers: { 'accept-encoding': encoding } });
    expect(res.statusCode).toBe(200);
    expect(expected.length).toBeGreaterThan(100_000);
    expect(res.headers['content-encoding']).toBe(encoding);
    expect(res.rawPayload.length).toBeLessThan(expected.length / 3);
    expect(decode(encoding, res.rawPayload).toString('utf8')).toBe(expected);
    expect(String(res.headers.vary).toLowerCase().split(/,\s*/)).toEqual(expect.arrayContaining(['origin', 'accept-encoding']));
  });

  it('sends the body as is without Accept-Encoding (or with identity), still with Vary: accept-encoding', async () => {
    for (const headers of [{}, { 'accept-encoding': 'identity' }]) {
      const res = await h.apps[0]!.inject({ url: '/big', headers });
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.body).toBe(expected);
      expect(String(res.headers.vary)).toContain('accept-encoding');
    }
  });

  it('prefers gzip, then deflate, then br when the client accepts all equally', async () => {
    const res = await h.apps[0]!.inject({ url: '/big', headers: { 'accept-encoding': 'br, deflate, gzip' } });
    expect(res.headers['content-encoding']).toBe('gzip');
  });

  it('follows the client’s q-values', async () => {
    const res = await h.apps[0]!.inject({ url: '/big', headers: { 'accept-encoding': 'gzip;q=0.5, br;q=1' } });
    expect(res.headers['content-encoding']).toBe('br');
  });

  it('leaves bodies under the threshold (default 1024) alone', async () => {
    const res = await h.apps[0]!.inject({ url: '/small', headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.json()).toEqual({ code: 'OK', success: true, data: { tiny: true } });
  });

  it('never compresses a body that already has a Content-Encoding', async () => {
    const res = await h.apps[0]!.inject({ url: '/pre', headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(res.rawPayload).toString('utf8'))).toEqual(payload);
  });

  it('compresses streams as they flow', async () => {
    const res = await h.apps[0]!.inject({ url: '/stream', headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers['content-encoding']).toBe('gzip');
    const text = gunzipSync(res.rawPayload).toString('utf8');
    expect(text.split('\n')).toHaveLength(2001);
    expect(text.startsWith('line 0 ')).toBe(true);
    expect(text.endsWith(`line 1999 ${'y'.repeat(40)}\n`)).toBe(true);
  });

  it('does not compress types that do not compress (image/png)', async () => {
    const res = await h.apps[0]!.inject({ url: '/image', headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.rawPayload.length).toBe(5000);
  });

  it('only offers the configured encodings', async () => {
    const br = await h.apps[0]!.inject({ url: '/gzip-only/big', headers: { 'accept-encoding': 'br' } });
    expect(br.headers['content-encoding']).toBeUndefined();
    expect(br.body).toBe(expected);
    const gz = await h.apps[0]!.inject({ url: '/gzip-only/big', headers: { 'accept-encoding': 'br, gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
  });

  it('honours threshold and level', async () => {
    expect((await h.apps[0]!.inject({ url: '/high/big', headers: { 'accept-encoding': 'gzip' } })).headers['content-encoding']).toBeUndefined();
    const fast = await h.apps[0]!.inject({ url: '/level/big', headers: { 'accept-encoding': 'gzip' } });
    const normal = await h.apps[0]!.inject({ url: '/big', headers: { 'accept-encoding': 'gzip' } });
    expect(fast.headers['content-encoding']).toBe('gzip');
    expect(fast.rawPayload.length).toBeGreaterThan(normal.rawPayload.length);
    expect(gunzipSync(fast.rawPayload).toString('utf8')).toBe(expected);
  });

  it('leaves routes without the middleware uncompressed', async () => {
    const res = await h.apps[0]!.inject({ url: '/plain', headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.vary).toBeUndefined();
  });
});

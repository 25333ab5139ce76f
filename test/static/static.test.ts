import 'reflect-metadata';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Context, defineModule, HttpError, Lokstra, type LokstraHandle } from '../../src/index';

const F = join(__dirname, 'fixtures');

/** Sends a raw request line (inject() would normalise the URL) and returns the whole answer. */
function rawGet(port: number, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (c: string) => { data += c; });
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
}

describe('mount_static and mount_spa', () => {
  let h: LokstraHandle;
  let port: number;
  beforeAll(async () => {
    const guard = defineModule({
      name: 'guard',
      middleware: { guard: () => async (ctx: Context, next) => { if (ctx.headers['x-key'] !== 'k') throw HttpError.unauthorized('key'); return next(); } },
    });
    h = await Lokstra.run({
      apps: [{
        name: 'web', address: '127.0.0.1:0',
        mount_static: [{ prefix: '/assets', folder: [join(F, 'public'), join(F, 'vendor')] }],
        mount_spa: [{ prefix: '/app', folder: join(F, 'public') }],
        groups: [{ prefix: '/private', middleware: ['guard'] }],
      }, {
        name: 'guarded', address: '127.0.0.1:0', middleware: ['guard'],
        mount_static: [{ prefix: '/', folder: join(F, 'public') }],
      }],
    }, { modules: [guard], handleSignals: false });
    port = Number(new URL(h.apps[0]!.url!).port);
  });
  afterAll(() => h.close());
  const web = () => h.apps[0]!;

  it('serves files from the first folder that has them, with content types', async () => {
    const app = await web().inject('/assets/app.js');
    expect(app.body).toContain('public app');
    expect(app.headers['content-type']).toMatch(/javascript/);
    expect((await web().inject('/assets/lib.js')).body).toContain('vendor lib');
  });

  it('serves index.html for directories', async () => {
    expect((await web().inject('/assets')).body).toContain('HOME');
    expect((await web().inject('/assets/sub/')).body).toContain('SUB-INDEX');
    expect((await web().inject('/assets/sub')).body).toContain('SUB-INDEX');
  });

  it('answers 304 to If-None-Match with the ETag, and sends Last-Modified', async () => {
    const first = await web().inject('/assets/app.js');
    expect(first.headers.etag).toBeDefined();
    expect(first.headers['last-modified']).toBeDefined();
    const again = await web().inject({ url: '/assets/app.js', headers: { 'if-none-match': String(first.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('answers a Range request with 206 and the exact bytes', async () => {
    const res = await web().inject({ url: '/assets/big.bin', headers: { range: 'bytes=10-19' } });
    expect(res.statusCode).toBe(206);
    expect(res.headers['content-range']).toBe('bytes 10-19/10240');
    expect([...res.rawPayload]).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it('answers missing files with a 404 envelope and never serves dot-files', async () => {
    const missing = await web().inject('/assets/nope.js');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('NOT_FOUND');
    expect((await web().inject('/assets/.env')).statusCode).toBe(404);
  });

  it('falls back to index.html for extension-less SPA paths only', async () => {
    const deep = await web().inject('/app/deep/link');
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toContain('HOME');
    expect((await web().inject('/app/missing.js')).statusCode).toBe(404);
    expect((await web().inject('/app/app.js')).body).toContain('public app');
  });

  it('puts app middleware in front of mounted files', async () => {
    const guarded = h.apps[1]!;
    expect((await guarded.inject('/app.js')).statusCode).toBe(401);
    expect((await guarded.inject({ url: '/app.js', headers: { 'x-key': 'k' } })).statusCode).toBe(200);
  });

  it.each([
    '/assets/../outside.txt', '/assets/%2e%2e/outside.txt', '/assets/%2E%2E%2Foutside.txt', '/assets/..%2f..%2foutside.txt',
    '/assets/..%5coutside.txt', '/assets/%2e%2e%5coutside.txt', '/assets/sub/%2e%2e/%2e%2e/outside.txt', '/assets/%00../outside.txt',
    '//assets/../../outside.txt', '/assets//../outside.txt', 'http://x/assets/../outside.txt', '/app/..%2f..%2foutside.txt',
    '/assets/....//outside.txt', '/assets/.%2e/outside.txt',
  ])('never leaves the root for %s (raw socket)', async (target) => {
    const res = await rawGet(port, target);
    expect(res).toMatch(/^HTTP\/1\.1 \d{3}/);
    expect(res).not.toContain('OUTSIDE-SECRET');
    expect(res).not.toContain('DOTFILE-SECRET');
    expect(await rawGet(port, '/assets/app.js')).toContain('public app');
  });
});

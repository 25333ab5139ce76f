import 'reflect-metadata';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Context, defineModule, HttpError, Lokstra, type LokstraHandle } from '../../src/index';
import { parseResponse, rawGet, type RawResponse } from '../reliability/helpers/raw-http';

const WEB = join(__dirname, '..', 'static', 'fixtures', 'web');
const SECRET = 'PAGE-DATA-ADMIN-SECRET';

/** A GET from a chosen loopback source address (127.0.0.2, 127.0.0.3 …) over a raw socket. */
function getFrom(port: number, localAddress: string, target: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    const chunks: Buffer[] = [];
    const head = Object.entries({ Host: 'localhost', ...headers, Connection: 'close' }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    socket.on('connect', () => socket.write(`GET ${target} HTTP/1.1\r\n${head}\r\n`));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => resolve(parseResponse(Buffer.concat(chunks), true)!));
    socket.on('error', reject);
  });
}

describe('mount_htmx: Vary, page-data routing and the client identity', () => {
  let h: LokstraHandle;
  let port: number;
  const seen: { ip: string; headers: Record<string, unknown>; url: string }[] = [];
  beforeAll(async () => {
    const mod = defineModule({
      name: 'pages',
      handlers: {
        indexData: (ctx: Context) => {
          seen.push({ ip: ctx.req.ip, headers: { ...ctx.headers }, url: ctx.req.url });
          return ctx.htmxPageData('Home', 'home', { note: 'index-data' });
        },
        otherData: (ctx: Context) => ctx.htmxPageData('Other', 'other', {}),
        shopData: (ctx: Context) => ctx.htmxPageData('Shop', 'shop', { note: 'shop-data' }),
        secret: (ctx: Context) => ctx.htmxPageData(SECRET, SECRET, { note: SECRET }),
      },
      middleware: {
        // A guard reading a header and one reading the client address, as real apps have.
        needsToken: () => async (ctx: Context, next) => {
          if (ctx.headers.authorization !== 'Bearer good') throw HttpError.unauthorized('token');
          return next();
        },
        denyListed: () => async (ctx: Context, next) => {
          if (ctx.req.ip === '127.0.0.3') throw HttpError.forbidden('address');
          return next();
        },
      },
    });
    h = await Lokstra.run({
      apps: [{
        name: 'web', address: '127.0.0.1:0',
        middleware: [{ name: 'cors', config: { allowed_origins: ['https://a.example'] } }],
        routes: [
          { method: 'GET', path: '/page-data/index', handler: 'indexData' },
          { method: 'GET', path: '/api/secret', handler: 'secret' },
          { method: 'GET', path: '/page-data/api/secret', handler: 'secret' },
          { method: 'GET', path: '/page-data/shop/index', handler: 'shopData' },
        ],
        groups: [
          { prefix: '/page-data/other', middleware: ['needsToken', 'denyListed'], routes: [{ method: 'GET', path: '/', handler: 'otherData' }] },
        ],
        mount_htmx: [{ prefix: '/', sources: [WEB] }, { prefix: '/shop', sources: [WEB] }],
      }],
    }, { modules: [mod], handleSignals: false });
    port = Number(new URL(h.apps[0]!.url!).port);
  });
  afterAll(() => h.close());

  describe('Vary', () => {
    it('merges CORS Origin with HX-Request and LS-Layout on a page answer', async () => {
      const res = await rawGet(port, '/', { Origin: 'https://a.example', 'HX-Request': 'true', 'LS-Layout': 'base.html' });
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe('https://a.example');
      const vary = res.headers.vary!.split(',').map((s) => s.trim().toLowerCase());
      expect(vary).toEqual(expect.arrayContaining(['origin', 'hx-request', 'ls-layout']));
      expect(new Set(vary).size).toBe(vary.length);
    });

    it('keeps Origin and HX-Request on a full render without an Origin header', async () => {
      const res = await rawGet(port, '/');
      const vary = res.headers.vary!.toLowerCase();
      expect(vary).toContain('origin');
      expect(vary).toContain('hx-request');
      expect(vary).toContain('ls-layout');
    });
  });

  describe('page data only from /page-data<prefix>/<normalised page>', () => {
    it.each([
      '/..%2f..%2fapi%2fsecret%3f%2f..%2f..%2f..%2findex', '/..%2f..%2fapi%2fsecret%23%2f..%2f..%2f..%2findex',
      '/x/..%2f..%2f..%2fapi%2fsecret%3f/..%2f..%2f..%2findex', '/%2e%2e%2f%2e%2e%2fapi%2fsecret%3f%2f%2e%2e%2f%2e%2e%2f%2e%2e%2findex',
      '/../../api/secret%3f/../../../index', '/api/secret%3f/../../index', '/api%2fsecret%3f%2f..%2f..%2findex',
      '/..%5c..%5capi%5csecret%3f%2f..%2f..%2f..%2findex', '/%252e%252e%252fapi%252fsecret%253f/../index',
    ])('%s never renders another route\'s data (raw socket)', async (target) => {
      const res = await rawGet(port, target);
      expect(res.text).not.toContain(SECRET);
      expect(decodeURIComponent(res.headers['ls-title'] ?? '')).not.toContain(SECRET);
      expect(res.status).toBeLessThan(500);
    });

    it('a page reached through dot segments gets that page\'s own data', async () => {
      seen.length = 0;
      const res = await rawGet(port, '/x/..%2findex');
      expect(res.status).toBe(200);
      expect(res.text).toContain('index-data');
      expect(seen.at(-1)?.url).toBe('/page-data/index');
    });

    it('a prefixed mount reads /page-data<prefix>/<page>, never the unprefixed route', async () => {
      const res = await rawGet(port, '/shop/index');
      expect(res.text).toContain('shop-data');
      for (const target of ['/shop/..%2f..%2f..%2findex', '/shop/x/..%2f..%2findex', '/shop/']) {
        const other = await rawGet(port, target);
        expect(other.text).toContain('shop-data');
        expect(other.text).not.toContain('index-data');
      }
    });
  });

  describe('the page-data call is made as the client', () => {
    it('forwards the client headers guards read, and its address', async () => {
      seen.length = 0;
      await getFrom(port, '127.0.0.2', '/', { Authorization: 'Bearer t', Cookie: 'sid=1', 'X-Forwarded-For': '10.0.0.9', 'X-Api-Key': 'k', 'Accept-Encoding': 'gzip' });
      const inner = seen.at(-1)!;
      expect(inner.ip).toBe('127.0.0.2');
      expect(inner.headers).toMatchObject({ authorization: 'Bearer t', cookie: 'sid=1', 'x-forwarded-for': '10.0.0.9', 'x-api-key': 'k', host: 'localhost' });
      expect(inner.headers['accept-encoding']).toBeUndefined();
    });

    it('auth middleware on the page-data route applies to the page as for the client', async () => {
      expect((await rawGet(port, '/other')).status).toBe(401);
      const ok = await rawGet(port, '/other', { Authorization: 'Bearer good' });
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('other page');
    });

    it('an address deny-list on the page-data route applies to the client address', async () => {
      expect((await getFrom(port, '127.0.0.3', '/other', { Authorization: 'Bearer good' })).status).toBe(403);
      expect((await getFrom(port, '127.0.0.2', '/other', { Authorization: 'Bearer good' })).status).toBe(200);
    });
  });
});

describe('mount_htmx templates and symlinks', () => {
  const base = mkdtempSync(join(tmpdir(), 'lokstra-htmx-links-'));
  let h: LokstraHandle;
  beforeAll(async () => {
    mkdirSync(join(base, 'src', 'pages'), { recursive: true });
    mkdirSync(join(base, 'src', 'layouts'));
    writeFileSync(join(base, 'secret.html'), 'HTMX-LINK-SECRET');
    writeFileSync(join(base, 'src', 'layouts', 'base.html'), '<html><head></head><body>{{{content}}}</body></html>');
    writeFileSync(join(base, 'src', 'pages', 'real.html'), 'REAL-PAGE');
    symlinkSync('../../secret.html', join(base, 'src', 'pages', 'leak.html'));
    symlinkSync('..', join(base, 'src', 'pages', 'up'));
    symlinkSync('real.html', join(base, 'src', 'pages', 'alias.html'));
    h = await Lokstra.run({ apps: [{ name: 'web', address: '127.0.0.1:0', mount_htmx: [{ prefix: '/', sources: [join(base, 'src')] }] }] }, { handleSignals: false });
  });
  afterAll(async () => {
    await h.close();
    rmSync(base, { recursive: true, force: true });
  });

  it('never renders a page whose real path is outside pages/, and follows links that stay inside', async () => {
    const port = Number(new URL(h.apps[0]!.url!).port);
    for (const target of ['/leak', '/up/layouts/base']) {
      const res = await rawGet(port, target);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('HTMX-LINK-SECRET');
    }
    expect((await rawGet(port, '/alias')).text).toContain('REAL-PAGE');
    expect((await rawGet(port, '/up/pages/real')).text).toContain('REAL-PAGE'); // up -> .. stays inside pages/ here
  });
});

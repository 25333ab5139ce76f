/**
 * Issue 12 (Medium and the stacked-statement Low item), attacked from outside over raw sockets:
 * symlinks out of a static root, `Vary` overwritten by a later layer, page-data URLs steered to
 * another route or called without the client's identity, slow queries draining the pool after
 * their requests timed out, and stacked statements through a parameterless query.
 */
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Client } from 'pg';
import { Context, createLogger, defineModule, HttpError, Lokstra, type DbPool, type LokstraHandle } from '../../src/index';
import { installFaultHooks } from './helpers/guard';
import { parseResponse, rawGet, rawRequest, type RawResponse } from './helpers/raw-http';
import { describeWithServers, PG_URL, uniqueName } from './helpers/servers';

jest.setTimeout(60_000);

const SECRET = 'I-OUTSIDE-SECRET';
const DATA_SECRET = 'I-PAGE-DATA-SECRET';
const WEB = join(__dirname, '..', 'static', 'fixtures', 'web');

/** A raw GET from another loopback source address (127.0.0.x). */
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

const varyOf = (res: RawResponse): string[] => (res.headers.vary ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);

describeWithServers('I static roots, Vary, page data and cancelled queries (issue 12)', () => {
  const base = mkdtempSync(join(tmpdir(), 'lokstra-i-'));
  const root = join(base, 'public');
  const appName = uniqueName('i');
  const table = uniqueName('i_victim');
  const admin = new Client({ connectionString: PG_URL });
  let h: LokstraHandle;
  let port: number;
  let upstream: Server;
  installFaultHooks(() => (port ? `http://127.0.0.1:${port}/health/live` : undefined));

  const pool = (): DbPool => h.getService<DbPool>('db');
  const sleeping = async (): Promise<number> => (await admin.query(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' AND query LIKE '%pg_sleep%'", [appName])).rows[0].n;

  beforeAll(async () => {
    mkdirSync(join(base, 'private', 'keys'), { recursive: true });
    mkdirSync(join(root, 'css'), { recursive: true });
    writeFileSync(join(base, 'private', 'id_rsa'), SECRET);
    writeFileSync(join(base, 'private', 'keys', 'k.txt'), SECRET);
    writeFileSync(join(root, 'index.html'), 'I-INDEX');
    writeFileSync(join(root, 'css', 'site.css'), 'body{}');
    symlinkSync('../private/id_rsa', join(root, 'avatar.png'));
    symlinkSync('../private', join(root, 'uploads'));
    symlinkSync('../../private/keys', join(root, 'css', 'fonts'));
    symlinkSync('/', join(root, 'css', 'fs'));
    symlinkSync('css/site.css', join(root, 'style.css'));
    upstream = createServer((_req, res) => res.writeHead(200, { vary: 'Accept-Language', 'content-type': 'text/plain' }).end('UPSTREAM'));
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    await admin.connect();
    await admin.query(`CREATE TABLE ${table} (id int)`);
    const mod = defineModule({
      name: 'g',
      handlers: {
        indexData: (ctx: Context) => ctx.htmxPageData('Home', 'home', { note: `ip=${ctx.req.ip}` }),
        secretData: (ctx: Context) => ctx.htmxPageData(DATA_SECRET, DATA_SECRET, { note: DATA_SECRET }),
        otherData: (ctx: Context) => ctx.htmxPageData('Other', 'other', {}),
        sleep: async (ctx: Context) => ctx.ok(await ctx.container.get<DbPool>('db').query('SELECT pg_sleep(10)')),
        ping: async (ctx: Context) => ctx.ok(await ctx.container.get<DbPool>('db').queryOne('SELECT 1 AS one')),
        // A handler that (wrongly) builds SQL from input: the protocol still runs one statement.
        search: async (ctx: Context) => ctx.ok(await ctx.container.get<DbPool>('db').query(`SELECT id FROM ${table} WHERE id::text = '${String((ctx.query as Record<string, string>).q)}'`)),
      },
      middleware: {
        adminOnly: () => async (ctx: Context, next) => {
          if (ctx.headers.authorization !== 'Bearer admin') throw HttpError.unauthorized('token');
          return next();
        },
        notFromDotThree: () => async (ctx: Context, next) => {
          if (ctx.req.ip === '127.0.0.3') throw HttpError.forbidden('address');
          return next();
        },
      },
    });
    h = await Lokstra.run({
      server: { global_setting: { handler_timeout: '300ms' } },
      services: [
        { name: 'db', type: 'lokstra.dbpool_pg', config: { dsn: PG_URL, application_name: appName, max_connections: 2, connection_timeout: '2s' } },
        { name: 'health', type: 'lokstra.health_check', config: { checks: [{ name: 'memory', enabled: false }, { name: 'disk', enabled: false }] } },
      ],
      apps: [{
        name: 'web', address: '127.0.0.1:0',
        middleware: [{ name: 'cors', config: { allowed_origins: ['https://app.example'] } }, { name: 'compression', config: { threshold: 1 } }],
        mount_static: [{ prefix: '/static', folder: root }],
        mount_spa: [{ prefix: '/spa', folder: root }],
        mount_htmx: [{ prefix: '/', sources: [WEB] }],
        mount_reverse_proxy: [{ prefix: '/up', target: `http://127.0.0.1:${(upstream.address() as { port: number }).port}` }],
        routes: [
          { method: 'GET', path: '/page-data/index', handler: 'indexData' },
          { method: 'GET', path: '/admin/data', handler: 'secretData' },
          { method: 'GET', path: '/page-data/admin/data', handler: 'secretData' },
          { method: 'GET', path: '/db/sleep', handler: 'sleep' },
          { method: 'GET', path: '/db/ping', handler: 'ping' },
          { method: 'GET', path: '/db/search', handler: 'search' },
        ],
        groups: [{ prefix: '/page-data/other', middleware: ['adminOnly', 'notFromDotThree'], routes: [{ method: 'GET', path: '/', handler: 'otherData' }] }],
      }],
    }, { modules: [mod], logger: createLogger({ level: 'warn', stream: new PassThrough() }), handleSignals: false });
    port = Number(new URL(h.apps[0]!.url!).port);
  });

  afterAll(async () => {
    await h?.close();
    await new Promise((r) => upstream.close(r));
    await admin.query(`DROP TABLE IF EXISTS ${table}`);
    await admin.end();
    rmSync(base, { recursive: true, force: true });
  });

  describe('I1 symlinks never leave a static root', () => {
    it.each([
      '/static/avatar.png', '/static/uploads/id_rsa', '/static/uploads/keys/k.txt', '/static/uploads/', '/static/css/fonts/k.txt',
      '/static/css/fs/etc/passwd', '/static/css/fs/etc/hostname', '/static/css/%66s/etc/passwd', '/static/uploads%2fid_rsa',
      '/static/css/fonts%2fk.txt', '/spa/avatar.png', '/spa/uploads/id_rsa', '/spa/css/fs/etc/passwd', '/spa/uploads',
    ])('%s', async (target) => {
      const res = await rawGet(port, target);
      expect(res.text).not.toContain(SECRET);
      expect(res.text).not.toMatch(/root:x:0:0/);
      expect(res.status).toBeLessThan(500);
      if (target.startsWith('/static/')) expect(res.status).toBe(404);
    });

    it('links inside the root are served', async () => {
      const res = await rawGet(port, '/static/style.css');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/css/);
    });
  });

  describe('I2 Vary is merged, never overwritten', () => {
    it('CORS Origin, HX-Request, LS-Layout and Accept-Encoding on one htmx page answer', async () => {
      const res = await rawGet(port, '/', { Origin: 'https://app.example', 'HX-Request': 'true', 'LS-Layout': 'base.html', 'Accept-Encoding': 'gzip' });
      expect(res.status).toBe(200);
      expect(varyOf(res)).toEqual(expect.arrayContaining(['origin', 'hx-request', 'ls-layout', 'accept-encoding']));
      expect(new Set(varyOf(res)).size).toBe(varyOf(res).length);
    });

    it('a proxied answer keeps Origin and the upstream\'s own Vary', async () => {
      const res = await rawGet(port, '/up/x', { Origin: 'https://app.example' });
      expect(res.status).toBe(200);
      expect(varyOf(res)).toEqual(expect.arrayContaining(['origin', 'accept-language']));
    });

    it('Origin survives on JSON, static and error answers', async () => {
      for (const target of ['/db/ping', '/static/index.html', '/static/nope.txt']) {
        const res = await rawGet(port, target, { Origin: 'https://app.example' });
        expect(varyOf(res)).toContain('origin');
      }
    });
  });

  describe('I3 page data only from /page-data/<normalised page>, as the client', () => {
    it.each([
      '/..%2fadmin%2fdata%3f%2f..%2f..%2findex', '/..%2fadmin%2fdata%23%2f..%2f..%2findex', '/admin%2fdata%3f/../../index',
      '/x/..%2f..%2fadmin%2fdata%3f%2f..%2f..%2f..%2findex', '/%2e%2e%2fadmin%2fdata%3f%2f%2e%2e%2f%2e%2e%2findex',
      '/admin/data%3f/../../index', '/admin/data%23/../../index', '/..%2f..%2f..%2fadmin%2fdata%3f%2f..%2f..%2f..%2f..%2findex',
    ])('%s renders no other route\'s data', async (target) => {
      const res = await rawGet(port, target);
      expect(res.text).not.toContain(DATA_SECRET);
      expect(decodeURIComponent(res.headers['ls-title'] ?? '')).not.toContain(DATA_SECRET);
      expect(res.status).toBeLessThan(500);
    });

    it('auth on the page-data route applies to the page', async () => {
      expect((await rawGet(port, '/other')).status).toBe(401);
      expect((await rawGet(port, '/other', { Authorization: 'Bearer admin' })).status).toBe(200);
    });

    it('an address rule on the page-data route sees the client address', async () => {
      expect((await getFrom(port, '127.0.0.3', '/other', { Authorization: 'Bearer admin' })).status).toBe(403);
      const ok = await getFrom(port, '127.0.0.2', '/', {});
      expect(ok.text).toContain('ip&#x3D;127.0.0.2'); // HTML-escaped by the template
    });
  });

  describe('I4 timed-out requests release their queries and clients', () => {
    it('20 requests of pg_sleep(10) on a 2-client pool: all 503 at the timeout, no query left, the pool serves at once', async () => {
      const started = Date.now();
      const answers = await Promise.all(Array.from({ length: 20 }, () => rawGet(port, '/db/sleep', {}, { timeoutMs: 5000 })));
      const burstMs = Date.now() - started;
      expect(answers.map((r) => r.status)).toEqual(Array(20).fill(503));
      let settleMs = 0;
      while ((await sleeping()) > 0 || pool().stats().idle !== pool().stats().total) {
        if (settleMs > 2000) break;
        await new Promise((r) => setTimeout(r, 20));
        settleMs += 20;
      }
      expect(await sleeping()).toBe(0);
      expect(pool().stats()).toMatchObject({ idle: pool().stats().total, waiting: 0 });
      const ping = await rawGet(port, '/db/ping');
      expect(ping.status).toBe(200);
      console.info(`[I4] 20 × pg_sleep(10) on 2 clients, handler_timeout 300 ms: all 503 in ${burstMs} ms, released within ~${settleMs} ms, next query 200`);
    });
  });

  describe('I5 one statement per query, even without parameters', () => {
    it.each([
      `x'; DROP TABLE ${'$T'}; --`, `x'; INSERT INTO ${'$T'} VALUES (666); --`, "x'; SELECT pg_sleep(5); --",
    ])('stacked SQL %s is refused by PostgreSQL; nothing of it runs', async (payload) => {
      const q = encodeURIComponent(payload.replace('$T', table));
      const res = await rawRequest(port, { target: `/db/search?q=${q}` });
      expect(res.status).toBe(500);
      expect(res.text).not.toMatch(/DROP|INSERT|syntax|multiple commands/i);
      expect((await admin.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n).toBe(0);
    });
  });
});

/**
 * RELIABILITY.md §C — faults in dependencies, against the real PostgreSQL and Redis. The app
 * reaches both through TCP fault proxies (`helpers/fault-proxy.ts`: pass, delay, blackhole, reset,
 * refuse), so an outage is simulated without touching the shared servers; backends are killed with
 * `pg_terminate_backend` on this test's own `application_name` only.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Client } from 'pg';
import {
  Context, createLogger, defineModule, Lokstra, quoteIdent, type DbPool, type KvStore, type LokstraConfig, type LokstraHandle,
} from '../../src/index';
import { freePort } from '../helpers/net';
import { startFaultProxy, type FaultProxy } from './helpers/fault-proxy';
import { installFaultHooks } from './helpers/guard';
import { within } from './helpers/load';
import { openConnection, rawGet, rawRequest, type RawResponse } from './helpers/raw-http';
import { describeWithServers, hostPort, PG_URL, REDIS_URL, uniqueName } from './helpers/servers';

jest.setTimeout(60_000);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (res: RawResponse): any => JSON.parse(res.text);

const observed = { aborted: [] as boolean[], lateResults: 0 };

const deps = defineModule({
  name: 'deps',
  handlers: {
    'db.ping': async (ctx: Context) => ctx.ok(await ctx.container.get<DbPool>('db.main').queryOne('SELECT 1 AS one')),
    'db.sleep': async (ctx: Context) => {
      const ms = Number((ctx.query as Record<string, string>).ms ?? 1000);
      await ctx.container.get<DbPool>('db.main').query('SELECT pg_sleep($1)', [ms / 1000]);
      return ctx.ok('slept');
    },
    'db.tx': async (ctx: Context) => {
      const q = ctx.query as Record<string, string>;
      const table = quoteIdent(q.table ?? 'missing');
      await ctx.container.get<DbPool>('db.main').transaction(async (tx) => {
        await tx.exec(`INSERT INTO ${table} (v) VALUES (1)`);
        if (q.fail === '1') throw new Error('failed between the two inserts');
        await tx.exec(`INSERT INTO ${table} (v) VALUES (2)`);
      });
      return ctx.ok('committed');
    },
    'kv.put': async (ctx: Context) => {
      await ctx.container.get<KvStore>('cache').set(ctx.params.key as string, { at: Date.now() });
      return ctx.ok('stored');
    },
    // Cache-aside: a cache that cannot answer is a miss, and the origin answers.
    'kv.cached': async (ctx: Context) => {
      let value: unknown;
      let degraded = false;
      try {
        value = await ctx.container.get<KvStore>('cache').get(ctx.params.key as string);
      } catch {
        degraded = true;
      }
      return ctx.ok({ value: value ?? 'origin', degraded });
    },
    'slow.signal': async (ctx: Context) => {
      await sleep(1000);
      observed.aborted.push(ctx.signal.aborted);
      observed.lateResults++;
      return ctx.ok('late result');
    },
  },
});

interface DepsApp {
  handle: LokstraHandle;
  port: number;
  live: string;
  pg: FaultProxy;
  redis: FaultProxy;
  appName: string;
  logFile: string;
  serviceLog(): string[];
  close(): Promise<void>;
}

/** The app under test: pg pool and Redis behind fault proxies, health, a cache, a route with a timeout. */
async function startDepsApp(options: { pgMode?: 'pass' | 'refuse' | 'blackhole'; redisMode?: 'pass' | 'refuse'; pgPassword?: string } = {}): Promise<DepsApp> {
  const pg = await startFaultProxy(hostPort(PG_URL));
  const redis = await startFaultProxy(hostPort(REDIS_URL));
  if (options.pgMode && options.pgMode !== 'pass') await pg.set(options.pgMode);
  if (options.redisMode && options.redisMode !== 'pass') await redis.set(options.redisMode);
  const dir = mkdtempSync(join(tmpdir(), 'lokstra-rel-c-'));
  const logFile = join(dir, 'services.log');
  const appName = uniqueName('app');
  const pgUrl = new URL(PG_URL);
  pgUrl.port = String(pg.port);
  if (options.pgPassword) pgUrl.password = options.pgPassword;
  const port = await freePort();
  const config = {
    server: { global_setting: { log_level: 'warn', start_timeout: '5s', shutdown_timeout: '3s' } },
    services: [
      { name: 'log', type: 'lokstra.logger', config: { output: 'file', file: logFile, level: 'info' } },
      {
        name: 'db.main', type: 'lokstra.dbpool_pg', depends_on: ['log'],
        config: { dsn: pgUrl.toString(), max_connections: 3, connection_timeout: '500ms', statement_timeout: '2s', idle_timeout: '60s', application_name: appName, logger: 'log' },
      },
      { name: 'redis.main', type: 'lokstra.redis', depends_on: ['log'], config: { url: `redis://127.0.0.1:${redis.port}`, command_timeout: '500ms', connect_timeout: '500ms', logger: 'log' } },
      { name: 'cache', type: 'lokstra.kvstore_redis', depends_on: ['redis.main'], config: { redis: 'redis.main', prefix: `${appName}:` } },
      { name: 'health', type: 'lokstra.health_check', config: { timeout: '1s', checks: [{ name: 'memory', enabled: false }, { name: 'disk', enabled: false }] } },
    ],
    apps: [{
      name: 'api', address: `127.0.0.1:${port}`,
      routes: [
        { method: 'GET', path: '/db/ping', handler: 'db.ping' }, { method: 'GET', path: '/db/sleep', handler: 'db.sleep' },
        { method: 'POST', path: '/db/tx', handler: 'db.tx' }, { method: 'PUT', path: '/kv/:key', handler: 'kv.put' },
        { method: 'GET', path: '/cached/:key', handler: 'kv.cached' },
        { method: 'GET', path: '/slow', handler: 'slow.signal', middleware: [{ name: 'timeout', config: { duration: '300ms' } }] },
      ],
    }],
  } as LokstraConfig;
  try {
    const handle = await Lokstra.run(config, { modules: [deps], logger: createLogger({ level: 'warn', stream: new PassThrough() }), handleSignals: false });
    return {
      handle, port, pg, redis, appName, logFile,
      live: `http://127.0.0.1:${port}/health/live`,
      serviceLog: () => { try { return readFileSync(logFile, 'utf8').split('\n').filter(Boolean); } catch { return []; } },
      close: async () => {
        await handle.close();
        await pg.close();
        await redis.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await pg.close();
    await redis.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** An admin connection straight to PostgreSQL (not through the proxy). */
async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: PG_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const terminate = (appName: string, state?: 'active' | 'idle'): Promise<number> => admin(async (c) => (await c.query(
  `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 ${state ? 'AND state = $2' : ''}`,
  state ? [appName, state] : [appName],
)).rowCount ?? 0);

function expectUnavailable(res: RawResponse): void {
  expect(res.status).toBe(503);
  expect(json(res)).toMatchObject({ code: 'SERVICE_UNAVAILABLE', success: false });
  expect(res.headers['retry-after']).toBeDefined();
  expect(res.text).not.toMatch(/pg_sleep|SELECT|ECONN|127\.0\.0\.1/);
}

const timed = async <T>(work: Promise<T>): Promise<{ ms: number; value: T }> => {
  const started = Date.now();
  const value = await work;
  return { ms: Date.now() - started, value };
};

describeWithServers('C faults in PostgreSQL and Redis', () => {
  let app: DepsApp | undefined;
  installFaultHooks(() => app?.live);
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  describe('C1 PostgreSQL down at boot', () => {
    it.each(['refuse', 'blackhole'] as const)('fails fast with a one-line reason naming the service (server %s), prints no password', async (mode) => {
      const started = Date.now();
      const error = await startDepsApp({ pgMode: mode, pgPassword: 'PgSecret-123' }).then(
        async (started_) => { app = started_; return undefined; },
        (err: unknown) => err as Error & { code?: string },
      );
      const elapsed = Date.now() - started;
      expect(error?.code).toBe('LKS_ERR_SERVICE_START_FAILED');
      expect(error?.message).toMatch(/service 'db\.main' failed to start: cannot reach PostgreSQL/);
      expect(error?.message.split('\n')).toHaveLength(1);
      expect(error?.message).not.toContain('PgSecret-123');
      // connection_timeout is 500 ms.
      expect(elapsed).toBeLessThan(4000);
    });
  });

  describe('with the app running', () => {
    beforeEach(async () => { app = await startDepsApp(); });
    const a = (): DepsApp => app as DepsApp;

    it('C2 a backend killed mid-request: that request is 503, the next one 200', async () => {
      const pending = rawGet(a().port, '/db/sleep?ms=3000');
      await sleep(500);
      expect(await terminate(a().appName, 'active')).toBeGreaterThanOrEqual(1);
      expectUnavailable(await pending);
      expect((await rawGet(a().port, '/db/ping')).status).toBe(200);
    });

    it('C3 a database restart with idle pool clients: logged once, no crash, traffic recovers', async () => {
      await Promise.all(Array.from({ length: 3 }, () => rawGet(a().port, '/db/sleep?ms=200')));
      const pool = a().handle.getService<DbPool>('db.main');
      expect(pool.stats().idle).toBe(3);
      // What a restart looks like to clients: every backend ends (57P01), then the server takes new connections.
      expect(await terminate(a().appName)).toBe(3);
      await sleep(300);
      const lost = a().serviceLog().filter((l) => l.includes('idle client lost'));
      expect(lost).toHaveLength(1);
      const after = await Promise.all(Array.from({ length: 10 }, () => rawGet(a().port, '/db/ping')));
      expect(after.map((r) => r.status)).toEqual(Array(10).fill(200));
      // The same through the network: every connection reset at once.
      await a().pg.set('reset');
      await a().pg.set('pass');
      const again = await Promise.all(Array.from({ length: 5 }, () => rawGet(a().port, '/db/ping')));
      expect(again.map((r) => r.status)).toEqual(Array(5).fill(200));
    });

    it('C4 a blackholed database: requests fail with 503 within the budget (statement_timeout 2s + 1s grace), then recover', async () => {
      expect((await rawGet(a().port, '/db/ping')).status).toBe(200);
      await a().pg.set('blackhole');
      const [onIdleClient, onNewClient] = await Promise.all([
        timed(rawGet(a().port, '/db/ping', {}, { timeoutMs: 10_000 })),
        timed(rawGet(a().port, '/db/sleep?ms=10', {}, { timeoutMs: 10_000 })),
      ]);
      for (const r of [onIdleClient, onNewClient]) {
        expectUnavailable(r.value);
        expect(r.ms).toBeLessThan(2000 + 1000 + 1000);
      }
      await a().pg.set('pass');
      expect((await rawGet(a().port, '/db/ping')).status).toBe(200);
    });

    it('C5 pool exhaustion: 503 within connection_timeout, and every client is back in the pool afterwards', async () => {
      const results = await Promise.all(Array.from({ length: 6 }, () => timed(rawGet(a().port, '/db/sleep?ms=1500'))));
      const ok = results.filter((r) => r.value.status === 200);
      const busy = results.filter((r) => r.value.status === 503);
      expect(ok).toHaveLength(3);
      expect(busy).toHaveLength(3);
      for (const r of busy) {
        expectUnavailable(r.value);
        expect(r.ms).toBeLessThan(500 + 1000);
      }
      const stats = a().handle.getService<DbPool>('db.main').stats();
      expect(stats.waiting).toBe(0);
      expect(stats.idle).toBe(stats.total);
    });

    it('C6 a failure between two INSERTs of a transaction commits nothing', async () => {
      const table = uniqueName('tx');
      await admin((c) => c.query(`CREATE TABLE ${quoteIdent(table)} (v int)`));
      try {
        const failed = await rawRequest(a().port, { method: 'POST', target: `/db/tx?table=${table}&fail=1` });
        expect(failed.status).toBe(500);
        expect(await admin(async (c) => (await c.query(`SELECT count(*)::int AS n FROM ${quoteIdent(table)}`)).rows[0].n)).toBe(0);
        const committed = await rawRequest(a().port, { method: 'POST', target: `/db/tx?table=${table}` });
        expect(committed.status).toBe(200);
        expect(await admin(async (c) => (await c.query(`SELECT count(*)::int AS n FROM ${quoteIdent(table)}`)).rows[0].n)).toBe(2);
        const stats = a().handle.getService<DbPool>('db.main').stats();
        expect(stats.idle).toBe(stats.total);
      } finally {
        await admin((c) => c.query(`DROP TABLE IF EXISTS ${quoteIdent(table)}`));
      }
    });

    it('C7 Redis down mid-traffic: KV calls fail within seconds, cache reads degrade to a miss, /health/ready 503; back → recovers without restart', async () => {
      expect((await rawRequest(a().port, { method: 'PUT', target: '/kv/k1' })).status).toBe(200);
      expect((await rawGet(a().port, '/health/ready')).status).toBe(200);
      await a().redis.set('refuse');
      const put = await timed(rawRequest(a().port, { method: 'PUT', target: '/kv/k1' }));
      expectUnavailable(put.value);
      expect(put.ms).toBeLessThan(3000);
      const read = await timed(rawGet(a().port, '/cached/k1'));
      expect(read.value.status).toBe(200);
      expect(json(read.value).data).toEqual({ value: 'origin', degraded: true });
      expect(read.ms).toBeLessThan(3000);
      expect((await rawGet(a().port, '/health/ready')).status).toBe(503);
      await a().redis.set('pass');
      const recovered = await within((async () => {
        for (;;) {
          const [r, p] = await Promise.all([rawGet(a().port, '/health/ready'), rawRequest(a().port, { method: 'PUT', target: '/kv/k2' })]);
          if (r.status === 200 && p.status === 200) return true;
          await sleep(200);
        }
      })(), 10_000, false);
      expect(recovered).toBe(true);
      expect(json(await rawGet(a().port, '/cached/k2')).data.degraded).toBe(false);
    });

    it('C8 a handler beyond its route timeout: 503 at the deadline, ctx.signal aborted, no second send', async () => {
      observed.aborted.length = 0;
      const conn = await openConnection(a().port);
      const started = Date.now();
      await conn.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
      const res = await conn.response();
      const elapsed = Date.now() - started;
      expect(res.status).toBe(503);
      expect(elapsed).toBeGreaterThanOrEqual(250);
      expect(elapsed).toBeLessThan(900);
      await sleep(1000);
      expect(observed.aborted).toEqual([true]);
      // Nothing else arrived on the connection after the 503.
      expect(conn.received().toString('latin1').match(/HTTP\/1\.1 /g)).toHaveLength(1);
      conn.destroy();
    });
  });

  describe('C7 Redis down at boot', () => {
    it('boots (documented policy: a cache does not stop the service), answers ready 503, degrades, and recovers when Redis comes', async () => {
      app = await startDepsApp({ redisMode: 'refuse' });
      const a = app;
      expect((await rawGet(a.port, '/health/ready')).status).toBe(503);
      const put = await timed(rawRequest(a.port, { method: 'PUT', target: '/kv/k1' }));
      expectUnavailable(put.value);
      expect(put.ms).toBeLessThan(3000);
      expect(json(await rawGet(a.port, '/cached/k1')).data).toEqual({ value: 'origin', degraded: true });
      await a.redis.set('pass');
      const recovered = await within((async () => {
        for (;;) {
          if ((await rawGet(a.port, '/health/ready')).status === 200) return true;
          await sleep(200);
        }
      })(), 10_000, false);
      expect(recovered).toBe(true);
      expect((await rawRequest(a.port, { method: 'PUT', target: '/kv/k1' })).status).toBe(200);
    });
  });
});

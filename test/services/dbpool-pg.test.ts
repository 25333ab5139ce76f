import 'reflect-metadata';
import { Agent } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { Context, defineModule, Lokstra, LokstraError, type DbPool, type LokstraHandle, type ServiceConfig } from '../../src/index';
import { freePort, get } from '../helpers/net';
import { quietLogger } from './helpers/quiet';
import { describeWith, PG_URL, timed, uniqueName } from './helpers/servers';
import { TcpProxy } from './helpers/tcp-proxy';

const db = (ctx: Context): DbPool => ctx.container.get<DbPool>('db');

// Handlers of the HTTP fault tests: plain SQL through the pool, one through an acquired connection.
const itemsModule = defineModule({
  name: 'items',
  handlers: {
    'items.create': async (ctx: Context) => {
      const { name, qty } = ctx.body as { name: string; qty: number };
      return ctx.okCreated(await db(ctx).queryOne('INSERT INTO items (name, qty) VALUES ($1, $2) RETURNING id, name, qty', [name, qty]));
    },
    // Raw query values are not bound (nor NUL-checked) by Lokstra: they reach PostgreSQL as given.
    'items.find': async (ctx: Context) => ctx.ok(await db(ctx).query('SELECT id FROM items WHERE name = $1', [ctx.query.name])),
    'items.count': async (ctx: Context) => ctx.ok(await db(ctx).queryOne('SELECT count(*)::int AS n FROM items')),
    'items.get': async (ctx: Context) => ctx.ok(await db(ctx).queryMustOne('SELECT id, name FROM items WHERE id = $1', [Number(ctx.params.id)])),
    'items.slow': async (ctx: Context) => ctx.ok(await db(ctx).query('SELECT pg_sleep($1::float)', [Number(ctx.query.s ?? 30)])),
    'items.slowTx': async (ctx: Context) => ctx.ok(await db(ctx).transaction((tx) => tx.query('SELECT pg_sleep(30)'))),
  },
});

const ROUTES = [
  { method: 'POST' as const, path: '/items', handler: 'items.create' },
  { method: 'GET' as const, path: '/items/count', handler: 'items.count' },
  { method: 'GET' as const, path: '/items', handler: 'items.find' },
  { method: 'GET' as const, path: '/items/:id', handler: 'items.get' },
  { method: 'GET' as const, path: '/slow', handler: 'items.slow' },
  { method: 'GET' as const, path: '/slow-tx', handler: 'items.slowTx' },
];

describeWith(['PostgreSQL'], 'lokstra.dbpool_pg on a real PostgreSQL', () => {
  const schema = uniqueName('pg');
  const admin = new Client({ connectionString: PG_URL });
  const handles: LokstraHandle[] = [];

  async function boot(config: Record<string, unknown> = {}, extra: ServiceConfig[] = []): Promise<{ h: LokstraHandle; pool: DbPool; app: string }> {
    const app = uniqueName('app');
    const h = await Lokstra.build({
      services: [...extra, { name: 'db', type: 'lokstra.dbpool_pg', config: { dsn: PG_URL, schema, application_name: app, ...config } }],
      apps: [{ name: 'api', address: ':0', routes: ROUTES }],
    }, { modules: [itemsModule], logger: quietLogger() });
    handles.push(h);
    return { h, pool: h.getService<DbPool>('db'), app };
  }

  const api = (h: LokstraHandle) => h.apps[0]!;
  const checkedOut = (pool: DbPool): number => pool.stats().total - pool.stats().idle;

  async function waitForBackend(app: string, like: string): Promise<number> {
    for (let i = 0; i < 250; i++) {
      const { rows } = await admin.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' AND query LIKE $2", [app, `%${like}%`]);
      if (rows[0]) return rows[0].pid;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no active backend of ${app} running ${like}`);
  }

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    await admin.query(`CREATE TABLE "${schema}".items (id serial PRIMARY KEY, name text NOT NULL UNIQUE, qty int NOT NULL DEFAULT 0 CHECK (qty >= 0))`);
  });

  afterEach(async () => {
    await Promise.all(handles.splice(0).map((h) => h.close()));
    await admin.query(`TRUNCATE "${schema}".items RESTART IDENTITY`);
  });

  afterAll(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  it('runs query, queryOne, queryMustOne, exists and exec on the configured schema', async () => {
    const { pool } = await boot();
    expect(await pool.exec('INSERT INTO items (name, qty) VALUES ($1, 1), ($2, 2)', ['a', 'b'])).toBe(2);
    expect(await pool.query<{ name: string }>('SELECT name FROM items ORDER BY id')).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(await pool.queryOne('SELECT qty FROM items WHERE name = $1', ['b'])).toEqual({ qty: 2 });
    expect(await pool.queryOne('SELECT qty FROM items WHERE name = $1', ['zz'])).toBeUndefined();
    expect(await pool.queryMustOne('SELECT name FROM items WHERE qty = $1', [1])).toEqual({ name: 'a' });
    await expect(pool.queryMustOne('SELECT name FROM items WHERE qty = 99')).rejects.toMatchObject({ status: 404 });
    await expect(pool.queryMustOne('SELECT name FROM items')).rejects.toThrow(/exactly one row, got 2/);
    expect(await pool.exists('SELECT 1 FROM items WHERE name = $1;', ['a'])).toBe(true);
    expect(await pool.exists('SELECT 1 FROM items WHERE name = $1', ['nope'])).toBe(false);
    expect(pool.schema).toBe(schema);
    expect(checkedOut(pool)).toBe(0);
  });

  it('commits a transaction', async () => {
    const { pool } = await boot();
    const id = await pool.transaction(async (tx) => {
      const row = await tx.queryMustOne<{ id: number }>("INSERT INTO items (name) VALUES ('t1') RETURNING id");
      await tx.exec('UPDATE items SET qty = 5 WHERE id = $1', [row.id]);
      return row.id;
    });
    expect(await pool.queryOne('SELECT qty FROM items WHERE id = $1', [id])).toEqual({ qty: 5 });
    expect(checkedOut(pool)).toBe(0);
  });

  it('rolls back when the callback throws between two inserts: row count unchanged, client released', async () => {
    const { pool } = await boot();
    await pool.exec("INSERT INTO items (name) VALUES ('before')");
    const boom = new Error('boom');
    await expect(pool.transaction(async (tx) => {
      await tx.exec("INSERT INTO items (name) VALUES ('x1')");
      throw boom;
    })).rejects.toBe(boom);
    await expect(pool.transaction(async (tx) => {
      await tx.exec("INSERT INTO items (name) VALUES ('x2')");
      await tx.exec("INSERT INTO items (name) VALUES ('before')");
    })).rejects.toMatchObject({ code: '23505' });
    expect(await pool.queryOne('SELECT count(*)::int AS n FROM items')).toEqual({ n: 1 });
    expect(checkedOut(pool)).toBe(0);
  });

  it('nests transactions with savepoints: an inner failure rolls back only the inner work', async () => {
    const { pool } = await boot();
    await pool.transaction(async (tx) => {
      await tx.exec("INSERT INTO items (name) VALUES ('outer')");
      await expect(tx.transaction(async (inner) => {
        await inner.exec("INSERT INTO items (name) VALUES ('inner')");
        throw new Error('inner fails');
      })).rejects.toThrow('inner fails');
      await tx.transaction((inner) => inner.exec("INSERT INTO items (name) VALUES ('inner2')"));
    });
    expect((await pool.query<{ name: string }>('SELECT name FROM items ORDER BY id')).map((r) => r.name)).toEqual(['outer', 'inner2']);
  });

  it('sets search_path per tenant schema (quoted) and resets it before the next borrower', async () => {
    const tenants = [uniqueName('ta'), `${uniqueName('tb')} "q"`];
    for (const t of tenants) {
      const q = `"${t.replace(/"/g, '""')}"`;
      await admin.query(`CREATE SCHEMA ${q}`);
      await admin.query(`CREATE TABLE ${q}.notes (body text)`);
    }
    try {
      // One client only: every borrower gets the same connection, so a leaked search_path would show.
      const { pool } = await boot({ max_connections: 1 });
      for (const t of tenants) {
        await pool.withConnection(async (conn) => {
          expect(await conn.queryOne('SELECT current_schema() AS s')).toEqual({ s: t });
          await conn.exec('INSERT INTO notes (body) VALUES ($1)', [`for ${t}`]);
        }, t);
        expect(await pool.queryOne('SELECT current_schema() AS s')).toEqual({ s: schema });
      }
      await pool.transaction(async (tx) => {
        expect(await tx.queryOne('SELECT count(*)::int AS n FROM notes')).toEqual({ n: 1 });
      }, { schema: tenants[0]! });
      expect(await pool.queryOne('SELECT current_schema() AS s')).toEqual({ s: schema });
      const injected = 'x"; DROP TABLE items; --';
      await pool.withConnection(async (conn) => expect(await conn.queryOne('SELECT current_schemas(false)::text[] AS s')).toEqual({ s: [] }), injected);
      expect(await pool.exists('SELECT 1 FROM items')).toBe(false);
      await expect(pool.acquire('a'.repeat(64))).rejects.toThrow(/at most 63 bytes/);
      await expect(pool.acquire('a\0b')).rejects.toThrow(/NUL/);
      expect(checkedOut(pool)).toBe(0);
    } finally {
      for (const t of tenants) await admin.query(`DROP SCHEMA "${t.replace(/"/g, '""')}" CASCADE`);
    }
  });

  it('answers 400 (not 500) for NUL in text, and never leaks pg detail or SQL', async () => {
    const { h } = await boot();
    const res = await api(h).inject('/items?name=a%00b');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ code: 'BAD_REQUEST', success: false, message: 'Invalid input value' });
    // In a JSON body, Lokstra's body parser refuses NUL before any SQL runs.
    expect((await api(h).inject({ method: 'POST', url: '/items', payload: { name: 'a\u0000b', qty: 1 } })).statusCode).toBe(400);
    const neg = await api(h).inject({ method: 'POST', url: '/items', payload: { name: 'n', qty: 'many' } });
    expect(neg.statusCode).toBe(400);
  });

  it('answers 409 CONFLICT for a unique violation, without the key in the message', async () => {
    const { h } = await boot();
    expect((await api(h).inject({ method: 'POST', url: '/items', payload: { name: 'dup', qty: 1 } })).statusCode).toBe(201);
    const res = await api(h).inject({ method: 'POST', url: '/items', payload: { name: 'dup', qty: 1 } });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({ code: 'CONFLICT', success: false, message: 'Resource already exists' });
    expect(res.body).not.toMatch(/dup|Key \(|items|INSERT/);
    const check = await api(h).inject({ method: 'POST', url: '/items', payload: { name: 'neg', qty: -1 } });
    expect([check.statusCode, check.json().code]).toEqual([409, 'CONFLICT']);
    expect((await api(h).inject('/items/999')).statusCode).toBe(404);
  });

  it('answers 503 with Retry-After within connection_timeout when the pool is exhausted; every client is back afterwards', async () => {
    // 1 s, not less: boot's own first connection must fit in it on a loaded CI machine.
    const { h, pool } = await boot({ max_connections: 2, connection_timeout: '1s' });
    const held = [await pool.acquire(), await pool.acquire()];
    const { ms, value: res } = await timed(() => api(h).inject('/items/count'));
    expect(res!.statusCode).toBe(503);
    expect(res!.headers['retry-after']).toBe('1');
    expect(res!.json().code).toBe('SERVICE_UNAVAILABLE');
    expect(ms).toBeGreaterThanOrEqual(980);
    expect(ms).toBeLessThan(1000 + 1000);
    console.info(`[fault timing] pg pool exhaustion → 503 after ${ms.toFixed(0)} ms (connection_timeout 1000 ms)`);
    await Promise.all(held.map((c) => c.release()));
    expect(checkedOut(pool)).toBe(0);
    expect((await api(h).inject('/items/count')).statusCode).toBe(200);
  });

  for (const [route, path] of [['pool.query', '/slow'], ['transaction (acquired client)', '/slow-tx']] as const) {
    it(`answers 503 when the backend is killed mid-request (${route}); the next request succeeds`, async () => {
      const { h, pool, app } = await boot();
      const pending = api(h).inject(path);
      const pid = await waitForBackend(app, 'pg_sleep');
      const killedAt = performance.now();
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      const res = await pending;
      const ms = performance.now() - killedAt;
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.body).not.toMatch(/terminat|administrator/i);
      console.info(`[fault timing] pg backend killed (${route}) → 503 after ${ms.toFixed(0)} ms`);
      expect(ms).toBeLessThan(1000);
      expect((await api(h).inject('/items/count')).statusCode).toBe(200);
      expect(checkedOut(pool)).toBe(0);
    });
  }

  it('survives a backend killed while its client is checked out but idle, and destroys that client on release', async () => {
    const { pool } = await boot();
    const conn = await pool.acquire();
    const { pid } = await conn.queryMustOne<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    // pg emits 'error' on the idle checked-out client now; unhandled, it would crash the process.
    await new Promise((r) => setTimeout(r, 200));
    await expect(conn.query('SELECT 1')).rejects.toThrow();
    await conn.release();
    expect(pool.stats()).toMatchObject({ total: 0, idle: 0 });
    expect(await pool.queryOne<{ pid: number }>('SELECT pg_backend_pid() AS pid')).not.toEqual({ pid });
  });

  it('answers 503 at statement_timeout for a slow query', async () => {
    const { h } = await boot({ statement_timeout: '200ms' });
    const { ms, value: res } = await timed(() => api(h).inject('/slow'));
    expect(res!.statusCode).toBe(503);
    expect(res!.json().message).toBe('Database query timed out, retry later');
    expect(ms).toBeLessThan(1000);
    console.info(`[fault timing] pg statement_timeout 200 ms → 503 after ${ms.toFixed(0)} ms`);
  });

  it('logs lost idle clients once (pool error listener) and replaces them on next use', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lokstra-pg-'));
    const file = join(dir, 'pg.log');
    try {
      const { h, pool, app } = await boot({ min_connections: 3, logger: 'log' }, [{ name: 'log', type: 'lokstra.logger', config: { output: 'file', file, level: 'warn' } }]);
      expect(pool.stats()).toMatchObject({ total: 3, idle: 3 });
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [app]);
      for (let i = 0; i < 100 && pool.stats().total > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(pool.stats().total).toBe(0);
      expect(await pool.queryOne('SELECT 1 AS one')).toEqual({ one: 1 });
      await h.close();
      const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { message: string; level: string });
      expect(lines.filter((l) => l.message.includes('idle client lost'))).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 'warn', service: 'db' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves no client checked out after 1,000 failing transactions', async () => {
    const { pool } = await boot({ max_connections: 5 });
    const failures = await Promise.all(Array.from({ length: 1000 }, (_, i) => pool.transaction(async (tx) => {
      await tx.exec('INSERT INTO items (name) VALUES ($1)', [`f${i}`]);
      if (i % 2 === 0) throw new Error('app failure');
      await tx.exec('SELECT * FROM no_such_table');
    }).then(() => 'ok', (e: Error) => e.message)));
    expect(failures.filter((f) => f === 'ok')).toHaveLength(0);
    expect(pool.stats()).toMatchObject({ waiting: 0 });
    expect(checkedOut(pool)).toBe(0);
    expect(await pool.queryOne('SELECT count(*)::int AS n FROM items')).toEqual({ n: 0 });
  });

  it('creates tenant pools by DSN lazily, caches them, and ends them at shutdown', async () => {
    const { h, pool } = await boot();
    const dsn = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}application_name=${uniqueName('tenant')}`;
    const tenant = pool.tenant(dsn);
    expect(pool.tenant(dsn)).toBe(tenant);
    expect(tenant.stats().total).toBe(0);
    expect(await tenant.queryOne('SELECT current_setting($1) AS app', ['application_name'])).toEqual({ app: new URL(dsn).searchParams.get('application_name') });
    await h.close();
    expect([pool.pool.ended, tenant.pool.ended]).toEqual([true, true]);
    await expect(pool.query('SELECT 1')).rejects.toThrow();
  });

  it('fails a blackholed server within the configured budget (statement_timeout + 1s grace)', async () => {
    const proxy = await TcpProxy.start(PG_URL, 5432);
    try {
      const { h, pool } = await boot({ dsn: proxy.url(PG_URL), statement_timeout: '300ms', connection_timeout: '1s', max_connections: 1 });
      expect((await api(h).inject('/items/count')).statusCode).toBe(200);
      await proxy.setMode('blackhole');
      const held = await timed(() => api(h).inject('/items/count'));
      expect(held.value!.statusCode).toBe(503);
      expect(held.ms).toBeLessThan(300 + 1000 + 1000);
      const fresh = await timed(() => api(h).inject('/items/count'));
      expect(fresh.value!.statusCode).toBe(503);
      expect(fresh.ms).toBeLessThan(1000 + 1000);
      console.info(`[fault timing] pg blackholed: open connection → 503 after ${held.ms.toFixed(0)} ms, new connection → 503 after ${fresh.ms.toFixed(0)} ms`);
      await proxy.setMode('pass');
      expect((await api(h).inject('/items/count')).statusCode).toBe(200);
      expect(checkedOut(pool)).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it('ends the pool at shutdown only after in-flight requests finished', async () => {
    const { h, pool } = await boot();
    await h.listen();
    const inflight = get(`${h.apps[0]!.url}/slow?s=0.3`, new Agent({ keepAlive: false }));
    for (let i = 0; i < 100 && pool.stats().idle === pool.stats().total; i++) await new Promise((r) => setTimeout(r, 10));
    await h.close();
    expect((await inflight).status).toBe(200);
    expect(pool.pool.ended).toBe(true);
  });

  it('fails boot fast with a one-line reason when PostgreSQL is down, never showing the password', async () => {
    const port = await freePort();
    const { ms, error } = await timed(() => boot({ dsn: `postgres://app:sekret@127.0.0.1:${port}/test` }));
    expect(LokstraError.is(error)).toBe(true);
    expect((error as LokstraError).code).toBe('LKS_ERR_SERVICE_START_FAILED');
    expect((error as Error).message).toMatch(/cannot reach PostgreSQL at postgres:\/\/app:\*\*\*@127\.0\.0\.1:\d+\/test: .*ECONNREFUSED/);
    expect((error as Error).message).not.toContain('sekret');
    expect((error as Error).message.split('\n')).toHaveLength(1);
    expect(ms).toBeLessThan(2000);
  });
});

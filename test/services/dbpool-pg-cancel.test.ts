import 'reflect-metadata';
import { Client } from 'pg';
import { Context, defineModule, Lokstra, type DbPool, type LokstraHandle } from '../../src/index';
import { capturingLogger, quietLogger } from './helpers/quiet';
import { describeWith, PG_URL, timed, uniqueName } from './helpers/servers';

const db = (ctx: Context): DbPool => ctx.container.get<DbPool>('db');

const slowModule = defineModule({
  name: 'slow',
  handlers: {
    // pg_sleep(10) on the pool, through an acquired connection, inside a transaction.
    'slow.pool': async (ctx: Context) => ctx.ok(await db(ctx).query('SELECT pg_sleep(10)')),
    'slow.conn': async (ctx: Context) => ctx.ok(await db(ctx).withConnection((c) => c.query('SELECT pg_sleep(10)'))),
    'slow.tx': async (ctx: Context) => ctx.ok(await db(ctx).transaction((tx) => tx.query('SELECT pg_sleep(10)'))),
    // Opted out: must finish even though the request timed out.
    'slow.detached': async (ctx: Context) => ctx.ok(await db(ctx).query('SELECT pg_sleep(0.8)', [], { signal: null })),
    'fast': async (ctx: Context) => ctx.ok(await db(ctx).queryOne('SELECT 1 AS one')),
  },
});

describeWith(['PostgreSQL'], 'DbPool: cancellation and one statement per call', () => {
  const admin = new Client({ connectionString: PG_URL });
  const handles: LokstraHandle[] = [];

  async function boot(config: Record<string, unknown> = {}): Promise<{ h: LokstraHandle; pool: DbPool; app: string; port: number }> {
    const app = uniqueName('cancel');
    const h = await Lokstra.run({
      server: { global_setting: { handler_timeout: '300ms' } },
      services: [{ name: 'db', type: 'lokstra.dbpool_pg', config: { dsn: PG_URL, application_name: app, max_connections: 2, connection_timeout: '3s', ...config } }],
      apps: [{
        name: 'api', address: '127.0.0.1:0',
        routes: ['pool', 'conn', 'tx', 'detached'].map((k) => ({ method: 'GET' as const, path: `/slow/${k}`, handler: `slow.${k}` }))
          .concat([{ method: 'GET' as const, path: '/fast', handler: 'fast' }]),
      }],
    }, { modules: [slowModule], logger: quietLogger(), handleSignals: false });
    handles.push(h);
    return { h, pool: h.getService<DbPool>('db'), app, port: Number(new URL(h.apps[0]!.url!).port) };
  }

  const sleeping = async (app: string): Promise<number> => (await admin.query(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' AND query LIKE '%pg_sleep%'", [app])).rows[0].n;

  /** Polls until the pool has every client idle and no backend of the app is sleeping. */
  async function settled(pool: DbPool, app: string, budgetMs = 2000): Promise<{ ms: number; idle: number; total: number; sleeping: number }> {
    const start = performance.now();
    for (;;) {
      const { idle, total } = pool.stats();
      const n = await sleeping(app);
      const ms = performance.now() - start;
      if ((idle === total && n === 0) || ms > budgetMs) return { ms, idle, total, sleeping: n };
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  beforeAll(() => admin.connect());
  afterEach(() => Promise.all(handles.splice(0).map((h) => h.close())));
  afterAll(() => admin.end());

  it('query(sql, params, { signal }) cancels the query on the server and gives the client back', async () => {
    const { pool, app } = await boot();
    const { ms, error } = await timed(() => pool.query('SELECT pg_sleep(10)', [], { signal: AbortSignal.timeout(200) }));
    expect(error).toMatchObject({ code: '57014' });
    expect(ms).toBeLessThan(1500);
    const state = await settled(pool, app);
    expect(state).toMatchObject({ idle: state.total, sleeping: 0 });
    expect(state.total).toBeGreaterThan(0); // returned to the pool, not destroyed
    expect(await pool.queryOne('SELECT 2 AS two')).toEqual({ two: 2 });
  });

  it('an already aborted signal never runs the query (503 error)', async () => {
    const { pool, app } = await boot();
    await expect(pool.query('SELECT pg_sleep(10)', [], { signal: AbortSignal.abort() })).rejects.toMatchObject({ status: 503 });
    expect(await sleeping(app)).toBe(0);
  });

  it.each(['pool', 'conn', 'tx'])('a request past handler_timeout cancels its query (%s): 503, pool idle, nothing sleeping', async (kind) => {
    const { pool, app, port } = await boot();
    const { ms, value } = await timed(() => fetch(`http://127.0.0.1:${port}/slow/${kind}`));
    expect(value?.status).toBe(503);
    expect(ms).toBeLessThan(1500);
    const state = await settled(pool, app);
    console.info(`[cancel] ${kind}: 503 after ${ms.toFixed(0)} ms; pool idle ${state.idle}/${state.total}, sleeping ${state.sleeping} after ${state.ms.toFixed(0)} ms`);
    expect(state.sleeping).toBe(0);
    expect(state.idle).toBe(state.total);
  });

  it('cheap slow requests cannot drain the pool: 12 timed-out pg_sleep(10) on 2 clients, then a fast query answers at once', async () => {
    const { pool, app, port } = await boot();
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 12 }, () => fetch(`http://127.0.0.1:${port}/slow/pool`).then((r) => r.status)));
    const burst = performance.now() - started;
    expect(answers.every((s) => s === 503)).toBe(true);
    const state = await settled(pool, app);
    const fast = await timed(() => fetch(`http://127.0.0.1:${port}/fast`));
    console.info(`[cancel] 12 × pg_sleep(10), max_connections 2: all 503 in ${burst.toFixed(0)} ms; settled in ${state.ms.toFixed(0)} ms; next fast request ${fast.ms.toFixed(0)} ms`);
    expect(state).toMatchObject({ sleeping: 0, idle: state.total });
    expect(fast.value?.status).toBe(200);
    expect(fast.ms).toBeLessThan(500);
  });

  it('a request that timed out while waiting for a client stops waiting; the client it would have had goes straight back', async () => {
    const { pool, app, port } = await boot({ max_connections: 1 });
    const holder = pool.query('SELECT pg_sleep(1)', [], { signal: null });
    const { value, ms } = await timed(() => fetch(`http://127.0.0.1:${port}/slow/pool`));
    expect(value?.status).toBe(503);
    expect(ms).toBeLessThan(1000);
    await holder;
    const state = await settled(pool, app);
    expect(state).toMatchObject({ idle: 1, total: 1, sleeping: 0 });
    expect(pool.stats().waiting).toBe(0);
  });

  it('{ signal: null } opts out: the query outlives the request', async () => {
    const { pool, app, port } = await boot();
    expect((await fetch(`http://127.0.0.1:${port}/slow/detached`)).status).toBe(503);
    expect(await sleeping(app)).toBe(1);
    expect((await settled(pool, app)).sleeping).toBe(0);
  });

  it('a cancel never reaches the next query on the same client (100 aborts at random moments, one client)', async () => {
    const { pool } = await boot({ max_connections: 1 });
    let failures = 0;
    for (let i = 0; i < 100; i++) {
      const ac = new AbortController();
      setTimeout(() => ac.abort(), Math.random() * 3);
      await pool.query('SELECT pg_sleep(0.001)', [], { signal: ac.signal }).catch(() => undefined);
      await pool.query('SELECT 1').catch(() => { failures++; });
    }
    expect(failures).toBe(0);
    expect(pool.stats().total).toBe(1);
  });

  it('does not log an internal error for a cancelled query of a timed-out request', async () => {
    const { logger, lines } = capturingLogger('warn');
    const app = uniqueName('cancel');
    const h = await Lokstra.run({
      server: { global_setting: { handler_timeout: '200ms' } },
      services: [{ name: 'db', type: 'lokstra.dbpool_pg', config: { dsn: PG_URL, application_name: app } }],
      apps: [{ name: 'api', address: '127.0.0.1:0', routes: [{ method: 'GET', path: '/slow', handler: 'slow.pool' }] }],
    }, { modules: [slowModule], logger, handleSignals: false });
    handles.push(h);
    expect((await fetch(`${h.apps[0]!.url!}/slow`)).status).toBe(503);
    await settled(h.getService<DbPool>('db'), app);
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  describe('one statement per call (extended protocol, even without parameters)', () => {
    const table = uniqueName('stacked');
    beforeAll(() => admin.query(`CREATE TABLE ${table} (id int)`));
    afterAll(() => admin.query(`DROP TABLE IF EXISTS ${table}`));

    it('PostgreSQL rejects a stacked statement from query, exec, a connection and a transaction; nothing runs', async () => {
      const { pool } = await boot();
      const stacked = `SELECT 1; DROP TABLE ${table}`;
      await expect(pool.query(stacked)).rejects.toMatchObject({ code: '42601' });
      await expect(pool.exec(`INSERT INTO ${table} VALUES (1); DROP TABLE ${table}`)).rejects.toMatchObject({ code: '42601' });
      await expect(pool.withConnection((c) => c.query(stacked))).rejects.toMatchObject({ code: '42601' });
      await expect(pool.transaction((tx) => tx.exec(stacked))).rejects.toMatchObject({ code: '42601' });
      await expect(pool.exists(`SELECT 1) AS x; DROP TABLE ${table}; SELECT (1`)).rejects.toMatchObject({ code: '42601' });
      expect((await admin.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n).toBe(0);
      expect(pool.stats().idle).toBe(pool.stats().total);
    });

    it('single statements without parameters still work (DDL, SET, BEGIN in a transaction)', async () => {
      const { pool } = await boot();
      expect(await pool.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      expect(await pool.exec(`INSERT INTO ${table} VALUES (7)`)).toBe(1);
      expect(await pool.transaction((tx) => tx.queryOne(`SELECT id FROM ${table} WHERE id = 7`), { isolation: 'serializable' })).toEqual({ id: 7 });
      expect(await pool.withConnection((c) => c.queryOne<{ search_path: string }>('SHOW search_path'), 'tenant_x')).toEqual({ search_path: expect.stringMatching(/tenant_x/) });
      expect(await pool.exec(`DELETE FROM ${table}`)).toBe(1);
    });
  });
});

import 'reflect-metadata';
import { Context, defineModule, HEALTH_CHECK, Lokstra, LokstraError, type AnyDbPool, type LokstraHandle } from '../../../src/index';
import { quietLogger } from '../../services/helpers/quiet';

/** One engine under the shared pool contract. */
export interface PoolFixture {
  engine: 'postgres' | 'mysql' | 'sqlite';
  /** `lokstra.dbpool_*` service type. */
  type: string;
  /** The pool config of a fresh database holding an empty `items` table (id, name UNIQUE, qty CHECK >= 0). */
  setup(): Promise<Record<string, unknown>>;
  /** Empties `items` between tests. */
  truncate(): Promise<void>;
  teardown(): Promise<void>;
  /** Config of a server that cannot be reached (boot must fail fast). */
  unreachable: Record<string, unknown>;
  /** Config added for the "unavailable" case (short timeouts). */
  unavailableConfig: Record<string, unknown>;
  /** Makes a query on `pool` fail because the database is unavailable or timed out (must map to 503). */
  unavailable(pool: AnyDbPool): Promise<unknown>;
  /** A value of the wrong type for `qty`. */
  badQty: unknown;
}

const db = (ctx: Context): AnyDbPool => ctx.container.get<AnyDbPool>('db');

/** `?` placeholders as the engine wants them (`$1`… for PostgreSQL). */
export function sqlFor(engine: PoolFixture['engine']): (sql: string) => string {
  return (sql) => {
    let i = 0;
    return engine === 'postgres' ? sql.replace(/\?/g, () => `$${++i}`) : sql;
  };
}

/** The behaviour every pool shares (SPEC-2 §7 Data); run on PostgreSQL, MariaDB and SQLite. */
export function poolContract(f: PoolFixture): void {
  const q = sqlFor(f.engine);
  let base: Record<string, unknown> = {};
  const handles: LokstraHandle[] = [];
  const mod = defineModule({
    name: 'items',
    handlers: {
      'items.create': async (ctx: Context) => {
        const { name, qty } = ctx.body as { name: string; qty: unknown };
        return ctx.okCreated(await db(ctx).queryOne(q('INSERT INTO items (name, qty) VALUES (?, ?) RETURNING id, name, qty'), [name, qty]));
      },
      'items.get': async (ctx: Context) => ctx.ok(await db(ctx).queryMustOne(q('SELECT id, name FROM items WHERE id = ?'), [Number(ctx.params.id)])),
      'items.unavailable': async (ctx: Context) => ctx.ok(await f.unavailable(db(ctx))),
      'items.count': async (ctx: Context) => ctx.ok(await db(ctx).queryOne('SELECT count(*) AS n FROM items')),
    },
  });
  const ROUTES = [
    { method: 'POST' as const, path: '/items', handler: 'items.create' },
    { method: 'GET' as const, path: '/items/count', handler: 'items.count' },
    { method: 'GET' as const, path: '/items/:id', handler: 'items.get' },
    { method: 'GET' as const, path: '/unavailable', handler: 'items.unavailable' },
  ];

  async function boot(config: Record<string, unknown> = {}): Promise<{ h: LokstraHandle; pool: AnyDbPool }> {
    // SQLite has one connection: no pool size.
    const { max_connections: _max, ...rest } = config;
    const h = await Lokstra.build({
      services: [{ name: 'db', type: f.type, config: { ...base, ...(f.engine === 'sqlite' ? rest : config) } }],
      apps: [{ name: 'api', address: ':0', routes: ROUTES }],
    }, { modules: [mod], logger: quietLogger() });
    handles.push(h);
    return { h, pool: h.getService<AnyDbPool>('db') };
  }
  const api = (h: LokstraHandle) => h.apps[0]!;
  const count = async (pool: AnyDbPool): Promise<number> => Number((await pool.queryOne<{ n: unknown }>('SELECT count(*) AS n FROM items'))?.n);
  const checkedOut = (pool: AnyDbPool): number => pool.stats().total - pool.stats().idle;

  beforeAll(async () => {
    base = await f.setup();
  });
  afterEach(async () => {
    await Promise.all(handles.splice(0).map((h) => h.close()));
    await f.truncate();
  });
  afterAll(() => f.teardown());

  it('reports its dialect and runs query, queryOne, queryMustOne, exists and exec', async () => {
    const { pool } = await boot();
    expect(pool.dialect).toBe(f.engine);
    expect(await pool.exec(q('INSERT INTO items (name, qty) VALUES (?, ?)'), ['a', 1])).toBe(1);
    await pool.exec(q('INSERT INTO items (name, qty) VALUES (?, ?)'), ['b', 2]);
    expect((await pool.query<{ name: string }>('SELECT name FROM items ORDER BY name')).map((r) => r.name)).toEqual(['a', 'b']);
    expect(await pool.queryOne<{ qty: number }>(q('SELECT qty FROM items WHERE name = ?'), ['b'])).toEqual({ qty: 2 });
    expect(await pool.queryOne(q('SELECT qty FROM items WHERE name = ?'), ['zz'])).toBeUndefined();
    expect(await pool.queryMustOne<{ name: string }>(q('SELECT name FROM items WHERE qty = ?'), [1])).toEqual({ name: 'a' });
    await expect(pool.queryMustOne('SELECT name FROM items')).rejects.toThrow(/exactly one row, got 2/);
    expect(await pool.exists(q('SELECT 1 FROM items WHERE name = ?'), ['a'])).toBe(true);
    expect(await pool.exists(q('SELECT 1 FROM items WHERE name = ?;'), ['zz'])).toBe(false);
    expect(await pool.exec(q('UPDATE items SET qty = qty + ?'), [10])).toBe(2);
    expect(await pool.exec(q('DELETE FROM items WHERE name = ?'), ['nope'])).toBe(0);
  });

  it('runs exactly one statement per call', async () => {
    const { pool } = await boot();
    await expect(pool.query('SELECT 1; DELETE FROM items')).rejects.toThrow();
    await pool.exec(q('INSERT INTO items (name, qty) VALUES (?, ?)'), ['kept', 1]);
    await expect(pool.exec("SELECT 1; DELETE FROM items WHERE name = 'kept'")).rejects.toThrow();
    expect(await count(pool)).toBe(1);
  });

  it('sends plain-object parameters as JSON text', async () => {
    const { pool } = await boot();
    await pool.exec(q('INSERT INTO items (name, qty) VALUES (?, ?)'), [{ a: 1 }, 1]);
    expect(await pool.queryOne(q('SELECT name FROM items WHERE qty = ?'), [1])).toEqual({ name: '{"a":1}' });
  });

  it('commits a transaction and rolls back one whose callback throws, connection given back', async () => {
    const { pool } = await boot();
    await pool.transaction(async (tx) => {
      await tx.exec(q('INSERT INTO items (name, qty) VALUES (?, ?)'), ['t1', 1]);
      await tx.exec(q('INSERT INTO items (name, qty) VALUES (?, ?)'), ['t2', 1]);
    });
    await expect(pool.transaction(async (tx) => {
      await tx.exec(q('INSERT INTO items (name, qty) VALUES (?, ?)'), ['t3', 1]);
      expect(Number((await tx.queryOne<{ n: unknown }>('SELECT count(*) AS n FROM items'))?.n)).toBe(3);
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(await count(pool)).toBe(2);
    expect(checkedOut(pool)).toBe(0);
  });

  it('nests transactions with savepoints: an inner failure rolls back only the inner work', async () => {
    const { pool } = await boot();
    await pool.transaction(async (tx) => {
      await tx.exec(q('INSERT INTO items (name, qty) VALUES (?, ?)'), ['outer', 1]);
      await expect(tx.transaction(async (inner) => {
        await inner.exec(q('INSERT INTO items (name, qty) VALUES (?, ?)'), ['inner', 1]);
        expect(Number((await inner.queryOne<{ n: unknown }>('SELECT count(*) AS n FROM items'))?.n)).toBe(2);
        throw new Error('inner failure');
      })).rejects.toThrow('inner failure');
      await tx.transaction((inner) => inner.exec(q('INSERT INTO items (name, qty) VALUES (?, ?)'), ['inner2', 1]));
    });
    expect((await pool.query<{ name: string }>('SELECT name FROM items ORDER BY name')).map((r) => r.name)).toEqual(['inner2', 'outer']);
  });

  it('keeps concurrent transactions apart: 20 at once, every fifth failing, only the others committed', async () => {
    const { pool } = await boot({ max_connections: 4 });
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => pool.transaction(async (tx) => {
      await tx.exec(q('INSERT INTO items (name, qty) VALUES (?, ?)'), [`c${i}`, i]);
      await new Promise((r) => setTimeout(r, 2));
      if (i % 5 === 0) throw new Error(`fail ${i}`);
      return i;
    })));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(4);
    expect(await count(pool)).toBe(16);
    expect(await pool.exists(q('SELECT 1 FROM items WHERE name = ?'), ['c5'])).toBe(false);
    expect(checkedOut(pool)).toBe(0);
  });

  it('acquire/withConnection give one connection for several statements and take it back', async () => {
    const { pool } = await boot();
    const n = await pool.withConnection(async (conn) => {
      await conn.exec(q('INSERT INTO items (name, qty) VALUES (?, ?)'), ['w', 1]);
      return conn.transaction(async (tx) => Number((await tx.queryOne<{ n: unknown }>('SELECT count(*) AS n FROM items'))?.n));
    });
    expect(n).toBe(1);
    const conn = await pool.acquire();
    await conn.release();
    await conn.release();
    expect(checkedOut(pool)).toBe(0);
  });

  it('answers 201 then 404 for a missing row over HTTP', async () => {
    const { h } = await boot();
    const created = await api(h).inject({ method: 'POST', url: '/items', payload: { name: 'x', qty: 1 } });
    expect(created.statusCode).toBe(201);
    const id = (created.json() as { data: { id: number } }).data.id;
    expect((await api(h).inject(`/items/${id}`)).json()).toMatchObject({ data: { id, name: 'x' } });
    expect((await api(h).inject('/items/999999')).statusCode).toBe(404);
  });

  it('answers 409 CONFLICT for a duplicate key and for a CHECK violation, without values or SQL', async () => {
    const { h } = await boot();
    await api(h).inject({ method: 'POST', url: '/items', payload: { name: 'secret-name', qty: 1 } });
    const dup = await api(h).inject({ method: 'POST', url: '/items', payload: { name: 'secret-name', qty: 1 } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toEqual({ success: false, code: 'CONFLICT', message: 'Resource already exists' });
    expect(dup.body).not.toMatch(/secret-name|INSERT|items/i);
    const check = await api(h).inject({ method: 'POST', url: '/items', payload: { name: 'neg', qty: -1 } });
    expect(check.statusCode).toBe(409);
    expect(check.body).not.toMatch(/INSERT|qty|items/i);
  });

  it('answers 400 for a value of the wrong type, without values or SQL', async () => {
    const { h } = await boot();
    const res = await api(h).inject({ method: 'POST', url: '/items', payload: { name: 'bad', qty: f.badQty } });
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toMatch(/INSERT|qty|items|abc/i);
  });

  it('answers 503 with Retry-After when the database is unavailable or times out; the next request succeeds', async () => {
    const { h, pool } = await boot(f.unavailableConfig);
    const res = await api(h).inject('/unavailable');
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).not.toMatch(/SELECT|SLEEP|items/i);
    expect((await api(h).inject('/items/count')).statusCode).toBe(200);
    expect(checkedOut(pool)).toBe(0);
  });

  it('answers 503 with Retry-After within connection_timeout while every connection is held', async () => {
    const { h, pool } = await boot({ max_connections: 1, connection_timeout: '300ms' });
    const held = await pool.acquire();
    const start = Date.now();
    const res = await api(h).inject('/items/count');
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(Date.now() - start).toBeLessThan(2000);
    await held.release();
    expect((await api(h).inject('/items/count')).statusCode).toBe(200);
    expect(pool.stats().waiting).toBe(0);
  });

  it('reports healthy with pool stats from its health check', async () => {
    const { pool } = await boot();
    const check = (pool as unknown as Record<symbol, () => { name: string; check: () => Promise<{ status: string; details: Record<string, unknown> }> }>)[HEALTH_CHECK]!();
    expect(check.name).toBe('db');
    const result = await check.check();
    expect(result.status).toBe('healthy');
    expect(result.details).toMatchObject({ waiting: 0 });
  });

  it('fails boot fast with a one-line reason when the database cannot be opened', async () => {
    const start = Date.now();
    const error = await Lokstra.build({
      services: [{ name: 'db', type: f.type, config: f.unreachable }],
      apps: [{ name: 'api', address: ':0', routes: [] }],
    }, { logger: quietLogger() }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(Date.now() - start).toBeLessThan(8000);
    expect((error as Error).message.split('\n')).toHaveLength(1);
    expect(LokstraError.is(error) || /cannot/i.test((error as Error).message)).toBe(true);
  });
}

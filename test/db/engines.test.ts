import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { Context, defineModule, Lokstra, LokstraError, type LokstraHandle, type MysqlDbPool, type SqliteDbPool } from '../../src/index';
import { quietLogger } from '../services/helpers/quiet';
import { describeWith, MYSQL_URL } from '../services/helpers/servers';

const handles: LokstraHandle[] = [];
afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.close()));
});

const mod = defineModule({
  name: 'eng',
  handlers: {
    'eng.sleep': async (ctx: Context) => ctx.ok(await ctx.container.get<MysqlDbPool>('db').query("SELECT SLEEP(5) AS s, 'kill-me' AS tag")),
    'eng.one': async (ctx: Context) => ctx.ok(await ctx.container.get<MysqlDbPool>('db').queryOne('SELECT 1 AS one')),
  },
});

async function boot(type: string, config: Record<string, unknown>): Promise<LokstraHandle> {
  const h = await Lokstra.build({
    services: [{ name: 'db', type, config }],
    apps: [{ name: 'api', address: ':0', routes: [{ method: 'GET', path: '/sleep', handler: 'eng.sleep' }, { method: 'GET', path: '/one', handler: 'eng.one' }] }],
  }, { modules: [mod], logger: quietLogger() });
  handles.push(h);
  return h;
}

describeWith(['MariaDB'], 'lokstra.dbpool_mysql on a real MariaDB', () => {
  it('answers 503 when its connection is killed mid-query, destroys it, and the next request succeeds', async () => {
    const h = await boot('lokstra.dbpool_mysql', { dsn: MYSQL_URL, max_connections: 1 });
    const admin = await createConnection(MYSQL_URL);
    try {
      const pending = h.apps[0]!.inject('/sleep');
      let id: number | undefined;
      for (let i = 0; i < 200 && id === undefined; i++) {
        const [rows] = await admin.query("SELECT ID AS id FROM information_schema.PROCESSLIST WHERE INFO LIKE '%kill-me%' AND INFO NOT LIKE '%PROCESSLIST%'");
        id = (rows as { id: number }[])[0]?.id;
        if (id === undefined) await new Promise((r) => setTimeout(r, 20));
      }
      expect(id).toBeDefined();
      await admin.query(`KILL CONNECTION ${Number(id)}`);
      const res = await pending;
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.body).not.toMatch(/SLEEP|kill-me/);
      expect((await h.apps[0]!.inject('/one')).json()).toMatchObject({ data: { one: 1 } });
    } finally {
      await admin.end();
    }
  });

  it('cancels the running query (KILL QUERY) when the signal aborts, and answers 503', async () => {
    const h = await boot('lokstra.dbpool_mysql', { dsn: MYSQL_URL, max_connections: 1 });
    const pool = h.getService<MysqlDbPool>('db');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const start = Date.now();
    await expect(pool.query('SELECT SLEEP(5)', [], { signal: controller.signal })).rejects.toMatchObject({ status: 503 });
    expect(Date.now() - start).toBeLessThan(3000);
    expect(await pool.queryOne('SELECT 2 AS two')).toEqual({ two: 2 });
  });

  it('switches the default database for acquire(schema) and back on release', async () => {
    const h = await boot('lokstra.dbpool_mysql', { dsn: MYSQL_URL, max_connections: 1 });
    const pool = h.getService<MysqlDbPool>('db');
    await pool.withConnection(async (conn) => {
      expect(await conn.queryOne('SELECT DATABASE() AS db')).toEqual({ db: 'information_schema' });
    }, 'information_schema');
    expect(await pool.queryOne('SELECT DATABASE() AS db')).toEqual({ db: new URL(MYSQL_URL).pathname.slice(1) });
    expect(pool.schema).toBe(new URL(MYSQL_URL).pathname.slice(1));
  });

  it('refuses a dsn that is not mysql:// and a dsn given with host (boot errors naming the key)', async () => {
    for (const config of [{ dsn: 'postgres://x@h/db' }, { dsn: MYSQL_URL, host: 'x' }]) {
      const err = await Lokstra.build({ services: [{ name: 'db', type: 'lokstra.dbpool_mysql', config }], apps: [] }, { logger: quietLogger() }).then(() => undefined, (e: unknown) => e);
      expect(LokstraError.is(err) && err.code).toBe('LKS_ERR_CONFIG_INVALID');
      expect((err as Error).message).toMatch(/services\.db\.config\.(dsn|host)/);
    }
  });
});

describe('lokstra.dbpool_sqlite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lokstra-sqlite-eng-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('waits up to busy_timeout for another process holding the write lock, then succeeds', async () => {
    const file = join(dir, 'busy.db');
    const h = await boot('lokstra.dbpool_sqlite', { file, busy_timeout: '3s' });
    const pool = h.getService<SqliteDbPool>('db');
    await pool.exec('CREATE TABLE t (v INTEGER)');
    const script = `const D = require('better-sqlite3'); const d = new D(${JSON.stringify(file)}); d.exec('BEGIN EXCLUSIVE'); process.stdout.write('locked\\n'); setTimeout(() => { d.exec('COMMIT'); d.close(); }, 400);`;
    const child = spawn(process.execPath, ['-e', script], { cwd: join(__dirname, '..', '..'), stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const start = Date.now();
    expect(await pool.exec('INSERT INTO t VALUES (1)')).toBe(1);
    expect(Date.now() - start).toBeGreaterThanOrEqual(200);
    await new Promise((r) => child.once('exit', r));
  });

  it('answers SQLITE_BUSY (→ 503) once busy_timeout is spent by another process', async () => {
    const file = join(dir, 'busy2.db');
    const h = await boot('lokstra.dbpool_sqlite', { file, busy_timeout: '100ms' });
    const pool = h.getService<SqliteDbPool>('db');
    await pool.exec('CREATE TABLE t (v INTEGER)');
    const script = `const D = require('better-sqlite3'); const d = new D(${JSON.stringify(file)}); d.exec('BEGIN EXCLUSIVE'); process.stdout.write('locked\\n'); process.stdin.on('data', () => process.exit(0));`;
    const child = spawn(process.execPath, ['-e', script], { cwd: join(__dirname, '..', '..'), stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await expect(pool.exec('INSERT INTO t VALUES (1)')).rejects.toMatchObject({ code: expect.stringMatching(/^SQLITE_BUSY/) });
    } finally {
      child.stdin.end('x');
      await new Promise((r) => child.once('exit', r));
    }
    expect(await pool.exec('INSERT INTO t VALUES (1)')).toBe(1);
  });

  it('maps booleans and dates to SQLite values and refuses schemas', async () => {
    const h = await boot('lokstra.dbpool_sqlite', { file: ':memory:' });
    const pool = h.getService<SqliteDbPool>('db');
    expect(await pool.queryOne('SELECT ? AS b, ? AS d', [true, new Date(0)])).toEqual({ b: 1, d: '1970-01-01T00:00:00.000Z' });
    await expect(pool.acquire('other')).rejects.toThrow(/not supported/);
    await expect(pool.transaction(async () => 1, { schema: 'x' })).rejects.toThrow(/not supported/);
    expect(pool.stats()).toEqual({ total: 1, idle: 1, waiting: 0 });
  });

  it('refuses a missing file and an unknown journal_mode at boot', async () => {
    for (const config of [{}, { file: ':memory:', journal_mode: 'fast' }]) {
      const err = await Lokstra.build({ services: [{ name: 'db', type: 'lokstra.dbpool_sqlite', config }], apps: [] }, { logger: quietLogger() }).then(() => undefined, (e: unknown) => e);
      expect(LokstraError.is(err) && err.code).toBe('LKS_ERR_CONFIG_INVALID');
    }
  });
});

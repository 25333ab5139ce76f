import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import { Lokstra, LokstraError, type AnyDbPool, type LokstraHandle } from '../../src/index';
import { Migrator } from '../../src/db/migrate/migrator';
import { openSession } from '../../src/db/migrate/session';
import { runCli } from '../../src/cli/main';
import { quietLogger } from '../services/helpers/quiet';
import { describeWith, MYSQL_URL, PG_URL, uniqueName } from '../services/helpers/servers';

const ROOT = join(__dirname, '..', '..');

interface Engine {
  engine: 'postgres' | 'mysql' | 'sqlite';
  type: string;
  /** Pool config of a fresh, empty database/schema. */
  setup(): Promise<Record<string, unknown>>;
  teardown(): Promise<void>;
  sleep: string;
  /** A table definition valid on the engine. */
  table(name: string): string;
}

function migrateSuite(e: Engine): void {
  let base: Record<string, unknown>;
  let dir: string;
  const handles: LokstraHandle[] = [];
  const pool = async (): Promise<AnyDbPool> => {
    const h = await Lokstra.build({ services: [{ name: 'db', type: e.type, config: base }], apps: [] }, { logger: quietLogger() });
    handles.push(h);
    return h.getService<AnyDbPool>('db');
  };
  const write = (name: string, up: string, down?: string): void => {
    writeFileSync(join(dir, `${name}.up.sql`), up);
    if (down !== undefined) writeFileSync(join(dir, `${name}.down.sql`), down);
  };
  const tables = async (p: AnyDbPool): Promise<string[]> => {
    const sql = e.engine === 'sqlite' ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'm\\_%' ESCAPE '\\'"
      : e.engine === 'mysql' ? "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'm\\_%'"
        : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'm\\_%'";
    return (await p.query<{ name: string }>(sql)).map((r) => r.name).sort();
  };

  beforeEach(async () => {
    base = await e.setup();
    dir = mkdtempSync(join(tmpdir(), 'lokstra-migrations-'));
  });
  afterEach(async () => {
    await Promise.all(handles.splice(0).map((h) => h.close()));
    rmSync(dir, { recursive: true, force: true });
    await e.teardown();
  });

  it('applies pending migrations in order, reports status, reverts the last one', async () => {
    write('001_users', `-- users\n${e.table('m_users')};\nINSERT INTO m_users (id, label) VALUES (1, 'a;b');`, 'DROP TABLE m_users;');
    write('002_posts', `${e.table('m_posts')};`, 'DROP TABLE m_posts');
    const p = await pool();
    const m = new Migrator({ pool: p, service: 'db', dir });
    expect((await m.status()).map((s) => s.state)).toEqual(['pending', 'pending']);
    expect(await m.up()).toEqual(['001_users', '002_posts']);
    expect(await m.up()).toEqual([]);
    expect(await tables(p)).toEqual(['m_posts', 'm_users']);
    expect(await p.queryOne('SELECT label FROM m_users')).toEqual({ label: 'a;b' });
    expect((await m.status()).map((s) => s.state)).toEqual(['applied', 'applied']);
    expect(await m.down()).toEqual(['002_posts']);
    expect(await tables(p)).toEqual(['m_users']);
    expect((await m.status()).map((s) => `${s.name}:${s.state}`)).toEqual(['001_users:applied', '002_posts:pending']);
  });

  it('refuses to run when an applied migration was edited (checksum), and status says edited', async () => {
    write('001_a', `${e.table('m_a')};`);
    const p = await pool();
    const m = new Migrator({ pool: p, service: 'db', dir });
    await m.up();
    write('001_a', `${e.table('m_a')};\n-- edited`);
    write('002_b', `${e.table('m_b')};`);
    const err = await m.up().then(() => undefined, (x: unknown) => x);
    expect(LokstraError.is(err) && err.code).toBe('LKS_ERR_MIGRATION_CHECKSUM');
    expect(await tables(p)).toEqual(['m_a']);
    expect((await m.status()).map((s) => s.state)).toEqual(['edited', 'pending']);
    rmSync(join(dir, '001_a.up.sql'));
    const missing = await m.up().then(() => undefined, (x: unknown) => x);
    expect(LokstraError.is(missing) && missing.code).toBe('LKS_ERR_MIGRATION_MISSING');
  });

  it('rolls back a failing migration (nothing half-applied) and names file:line; earlier ones stay', async () => {
    write('001_ok', `${e.table('m_ok')};`);
    write('002_bad', `INSERT INTO m_ok (id, label) VALUES (1, 'x');\n\n-- the next statement is wrong\nSELEC nonsense FROM nowhere;\n`);
    const p = await pool();
    const m = new Migrator({ pool: p, service: 'db', dir });
    const err = await m.up().then(() => undefined, (x: unknown) => x);
    expect(LokstraError.is(err) && err.code).toBe('LKS_ERR_MIGRATION_FAILED');
    expect((err as Error).message).toContain(`${join(dir, '002_bad.up.sql')}:4`);
    expect(await p.queryOne('SELECT count(*) AS n FROM m_ok')).toEqual({ n: e.engine === 'postgres' ? '0' : 0 });
    expect((await m.status()).map((s) => s.state)).toEqual(['applied', 'pending']);
  });

  if (e.engine !== 'mysql') {
    it('rolls back DDL of a failing migration too (transactional DDL)', async () => {
      write('001_half', `${e.table('m_half')};\nSELEC broken;`);
      const p = await pool();
      await expect(new Migrator({ pool: p, service: 'db', dir }).up()).rejects.toMatchObject({ code: 'LKS_ERR_MIGRATION_FAILED' });
      expect(await tables(p)).toEqual([]);
    });
  }

  it('lets one of two concurrent runners apply each migration exactly once (lock)', async () => {
    write('001_runs', `${e.table('m_runs')};`);
    for (const n of ['002', '003', '004']) write(`${n}_step`, `${e.sleep};\nINSERT INTO m_runs (id, label) VALUES (${Number(n)}, 'x');`);
    const [p1, p2] = [await pool(), await pool()];
    const results = await Promise.all([new Migrator({ pool: p1, service: 'db', dir }).up(), new Migrator({ pool: p2, service: 'db', dir }).up()]);
    expect(results.flat().sort()).toEqual(['001_runs', '002_step', '003_step', '004_step']);
    expect(await p1.queryOne('SELECT count(*) AS n FROM m_runs')).toEqual({ n: e.engine === 'postgres' ? '3' : 3 });
  });

  it('gives up waiting for the lock after lockTimeout with LKS_ERR_MIGRATION_LOCKED', async () => {
    write('001_slow', `${e.table('m_slow')};\n${e.sleep};\n${e.sleep};\n${e.sleep};`);
    const [p1, p2] = [await pool(), await pool()];
    const held = await openSession(p1, 'db', 1000);
    const start = Date.now();
    const err = await new Migrator({ pool: p2, service: 'db', dir, lockTimeout: 300 }).up().then(() => undefined, (x: unknown) => x);
    expect(LokstraError.is(err) ? err.code : err).toBe('LKS_ERR_MIGRATION_LOCKED');
    expect(Date.now() - start).toBeGreaterThanOrEqual(250);
    await held.end();
    expect(await new Migrator({ pool: p2, service: 'db', dir }).up()).toEqual(['001_slow']);
  });

  it('lokstra migrate create/up/status/down from the CLI, and two processes racing `up` (exactly one applies)', async () => {
    const cwd = dir;
    const config = join(cwd, 'lokstra.config.yaml');
    writeFileSync(config, `services:\n  - name: db\n    type: ${e.type}\n    config: ${JSON.stringify(base)}\n`);
    const created = await runCli(['migrate', 'create', 'add', 'items'], {}, cwd);
    expect(created.code).toBe(0);
    const upFile = created.stdout[0]!.replace(/^created /, '');
    expect(upFile).toMatch(/migrations\/db\/\d{14}_add_items\.up\.sql$/);
    writeFileSync(upFile, `${e.table('m_items')};\n${e.sleep};`);
    writeFileSync(upFile.replace('.up.sql', '.down.sql'), 'DROP TABLE m_items;');
    const cli = (...args: string[]): Promise<{ code: number | null; out: string }> => new Promise((resolve) => {
      const child = spawn(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), join(ROOT, 'src/cli/main.ts'), ...args], { cwd, env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') } });
      let out = '';
      child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
      child.on('exit', (code) => resolve({ code, out }));
    });
    // Two processes (ts-node start-up is slow on a shared CI box: one engine is enough for that);
    // the other engines race two in-process runs of the same command.
    const inProcess = async (...args: string[]): Promise<{ code: number; out: string }> => {
      const r = await runCli(args, {}, cwd);
      return { code: r.code, out: [...r.stdout, ...r.stderr].join('\n') };
    };
    const run = e.engine === 'postgres' ? cli : inProcess;
    const [a, b] = await Promise.all([run('migrate', 'up'), run('migrate', 'up')]);
    expect([a.code, b.code, a.out, b.out]).toEqual([0, 0, a.out, b.out]);
    const outs = [a.out, b.out];
    expect(outs.filter((o) => /applied \d{14}_add_items/.test(o))).toHaveLength(1);
    expect(outs.filter((o) => /up to date/.test(o))).toHaveLength(1);
    const status = await runCli(['migrate', 'status'], {}, cwd);
    expect(status.stdout.join('\n')).toMatch(/^applied\s+\d{14}_add_items/);
    const down = await runCli(['migrate', 'down', '--service', 'db'], {}, cwd);
    expect(down.stdout.join('\n')).toMatch(/reverted \d{14}_add_items/);
    expect((await runCli(['migrate', 'sideways'], {}, cwd)).code).toBe(2);
  }, 60_000);
}

describeWith(['PostgreSQL'], 'lokstra migrate on PostgreSQL', () => {
  let schema = '';
  let admin: Client;
  migrateSuite({
    engine: 'postgres',
    type: 'lokstra.dbpool_pg',
    async setup() {
      schema = uniqueName('mig');
      admin = new Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`CREATE SCHEMA "${schema}"`);
      return { dsn: PG_URL, schema };
    },
    async teardown() {
      await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.end();
    },
    sleep: 'SELECT pg_sleep(0.2)',
    table: (name) => `CREATE TABLE ${name} (id int PRIMARY KEY, label text)`,
  });
});

describeWith(['MariaDB'], 'lokstra migrate on MariaDB', () => {
  let database = '';
  migrateSuite({
    engine: 'mysql',
    type: 'lokstra.dbpool_mysql',
    async setup() {
      database = uniqueName('mig');
      const admin = await createConnection(MYSQL_URL);
      await admin.query(`CREATE DATABASE \`${database}\``);
      await admin.end();
      const url = new URL(MYSQL_URL);
      url.pathname = `/${database}`;
      return { dsn: url.toString() };
    },
    async teardown() {
      const admin = await createConnection(MYSQL_URL);
      await admin.query(`DROP DATABASE \`${database}\``);
      await admin.end();
    },
    sleep: 'SELECT SLEEP(0.2)',
    table: (name) => `CREATE TABLE ${name} (id int PRIMARY KEY, label varchar(50))`,
  });
});

describe('lokstra migrate on SQLite', () => {
  let dir = '';
  migrateSuite({
    engine: 'sqlite',
    type: 'lokstra.dbpool_sqlite',
    async setup() {
      dir = mkdtempSync(join(tmpdir(), 'lokstra-mig-sqlite-'));
      return { file: join(dir, 'app.db'), busy_timeout: '20ms' };
    },
    async teardown() {
      rmSync(dir, { recursive: true, force: true });
    },
    // SQLite has no sleep(): a recursive CTE that counts for a while.
    sleep: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) SELECT count(*) FROM c',
    table: (name) => `CREATE TABLE ${name} (id INTEGER PRIMARY KEY, label TEXT)`,
  });
});

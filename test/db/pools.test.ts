import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import type { AnyDbPool } from '../../src/index';
import { describeWith, MYSQL_URL, PG_URL, uniqueName } from '../services/helpers/servers';
import { poolContract } from './helpers/pool-contract';

// One contract, three engines (as the KV store suite runs on memory and Redis).

describeWith(['PostgreSQL'], 'DbPool contract on PostgreSQL (lokstra.dbpool_pg)', () => {
  const schema = uniqueName('pool');
  const admin = new Client({ connectionString: PG_URL });
  poolContract({
    engine: 'postgres',
    type: 'lokstra.dbpool_pg',
    async setup() {
      await admin.connect();
      await admin.query(`CREATE SCHEMA "${schema}"`);
      await admin.query(`CREATE TABLE "${schema}".items (id serial PRIMARY KEY, name text NOT NULL UNIQUE, qty int NOT NULL DEFAULT 0 CHECK (qty >= 0))`);
      return { dsn: PG_URL, schema };
    },
    truncate: async () => {
      await admin.query(`TRUNCATE "${schema}".items RESTART IDENTITY`);
    },
    async teardown() {
      await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.end();
    },
    unreachable: { dsn: 'postgres://postgres:hunter2@127.0.0.1:1/test', connection_timeout: '1s' },
    unavailableConfig: { statement_timeout: '200ms' },
    unavailable: (pool: AnyDbPool) => pool.query('SELECT pg_sleep(2)'),
    badQty: 'abc',
  });
});

describeWith(['MariaDB'], 'DbPool contract on MariaDB (lokstra.dbpool_mysql)', () => {
  const database = uniqueName('pool');
  const url = new URL(MYSQL_URL);
  url.pathname = `/${database}`;
  let admin: Awaited<ReturnType<typeof createConnection>>;
  poolContract({
    engine: 'mysql',
    type: 'lokstra.dbpool_mysql',
    async setup() {
      admin = await createConnection(MYSQL_URL);
      await admin.query(`CREATE DATABASE \`${database}\``);
      await admin.query(`CREATE TABLE \`${database}\`.items (id int AUTO_INCREMENT PRIMARY KEY, name varchar(100) NOT NULL UNIQUE, qty int NOT NULL DEFAULT 0 CHECK (qty >= 0))`);
      return { dsn: url.toString() };
    },
    truncate: async () => {
      await admin.query(`TRUNCATE TABLE \`${database}\`.items`);
    },
    async teardown() {
      await admin.query(`DROP DATABASE \`${database}\``);
      await admin.end();
    },
    unreachable: { dsn: 'mysql://root:hunter2@127.0.0.1:1/test', connection_timeout: '1s' },
    unavailableConfig: { statement_timeout: '200ms' },
    unavailable: (pool: AnyDbPool) => pool.query('SELECT SLEEP(2)'),
    badQty: 'abc',
  });
});

describe('DbPool contract on SQLite (lokstra.dbpool_sqlite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lokstra-sqlite-'));
  const file = join(dir, 'contract.db');
  let admin: Database.Database;
  poolContract({
    engine: 'sqlite',
    type: 'lokstra.dbpool_sqlite',
    async setup() {
      admin = new Database(file);
      admin.pragma('journal_mode = wal');
      admin.exec('CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, qty INTEGER NOT NULL DEFAULT 0 CHECK (qty >= 0)) STRICT');
      return { file };
    },
    truncate: async () => {
      admin.exec("DELETE FROM items; DELETE FROM sqlite_sequence WHERE name = 'items'");
    },
    async teardown() {
      admin.close();
      rmSync(dir, { recursive: true, force: true });
    },
    unreachable: { file: join(dir, 'no', 'such', 'dir', 'x.db') },
    unavailableConfig: { busy_timeout: '100ms' },
    // Another connection (another process, as far as SQLite knows) holds the write lock past busy_timeout.
    async unavailable(pool: AnyDbPool) {
      admin.exec('BEGIN EXCLUSIVE');
      try {
        return await pool.exec("INSERT INTO items (name, qty) VALUES ('locked', 1)");
      } finally {
        admin.exec('ROLLBACK');
      }
    },
    badQty: 'abc',
  });
});

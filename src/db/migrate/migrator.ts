import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LokstraError } from '../../errors/lokstra-error';
import { optional } from '../../internal/optional';
import type { AnyDbPool, DbExecutor } from '../../services/dbpool-pg/types';
import { readMigrations, type MigrationFile } from './files';
import { openSession, type MigrationSession } from './session';
import { splitSql } from './split-sql';

/** Options of a {@link Migrator}. */
export interface MigratorOptions {
  /** The pool to migrate (any engine). */
  pool: AnyDbPool;
  /** The service name: names the lock, errors and the default folder `migrations/<service>/`. */
  service: string;
  /** Folder of `<name>.up.sql` / `<name>.down.sql` files. Default `<cwd>/migrations/<service>`. */
  dir?: string;
  /** How long to wait for another runner's lock. Default 60 s. */
  lockTimeout?: number;
}

/** One row of `lokstra migrate status`. */
export interface MigrationStatus {
  name: string;
  /** `edited`: applied, but the file changed since; `missing`: applied, but the file is gone. */
  state: 'applied' | 'pending' | 'edited' | 'missing';
  appliedAt?: string;
}

interface AppliedRow {
  name: string;
  checksum: string;
  applied_at: string;
}

/** The table of applied migrations (created on first use, in the pool's default schema/database). */
export const MIGRATIONS_TABLE = 'lokstra_migrations';
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (name VARCHAR(255) NOT NULL PRIMARY KEY, checksum VARCHAR(64) NOT NULL, applied_at VARCHAR(32) NOT NULL)`;

/**
 * `lokstra migrate` as a library: SQL files per pool run by umzug under Lokstra's rules — one
 * runner at a time (advisory lock), each migration and its bookkeeping row in one transaction where
 * the engine allows (PostgreSQL, SQLite; MariaDB commits DDL at once), an edited applied migration
 * refused (`LKS_ERR_MIGRATION_CHECKSUM`), a failing statement named by file and line.
 * @example
 * const applied = await new Migrator({ pool, service: 'db' }).up();
 */
export class Migrator {
  readonly dir: string;
  private readonly pool: AnyDbPool;
  private readonly service: string;
  private readonly lockTimeout: number;

  constructor(options: MigratorOptions) {
    this.pool = options.pool;
    this.service = options.service;
    this.dir = options.dir ?? join(process.cwd(), 'migrations', options.service);
    this.lockTimeout = options.lockTimeout ?? 60_000;
  }

  /** Applies every pending migration in name order; resolves with the names applied. */
  up(): Promise<string[]> {
    return this.locked(async (session, files) => (await this.umzug(session, files).up()).map((m) => m.name));
  }

  /** Reverts the last `step` applied migrations (default 1); resolves with the names reverted. */
  down(step = 1): Promise<string[]> {
    return this.locked(async (session, files) => (await this.umzug(session, files).down({ step })).map((m) => m.name));
  }

  /** Every migration on disk or in the database, with its state (no lock taken, nothing changed). */
  async status(): Promise<MigrationStatus[]> {
    const files = readMigrations(this.dir);
    await this.pool.exec(CREATE_TABLE, [], { signal: null });
    const applied = await this.pool.query<AppliedRow & Record<string, unknown>>(`SELECT name, checksum, applied_at FROM ${MIGRATIONS_TABLE} ORDER BY name`, [], { signal: null });
    const byName = new Map(applied.map((r) => [r.name, r]));
    const rows: MigrationStatus[] = files.map((f) => {
      const row = byName.get(f.name);
      if (row === undefined) return { name: f.name, state: 'pending' };
      return { name: f.name, state: row.checksum === f.checksum ? 'applied' : 'edited', appliedAt: row.applied_at };
    });
    for (const r of applied) if (!files.some((f) => f.name === r.name)) rows.push({ name: r.name, state: 'missing', appliedAt: r.applied_at });
    return rows.sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  private async locked<T>(work: (session: MigrationSession, files: MigrationFile[]) => Promise<T>): Promise<T> {
    const files = readMigrations(this.dir);
    const session = await openSession(this.pool, this.service, this.lockTimeout);
    try {
      await session.conn.exec(CREATE_TABLE);
      await this.verify(session.conn, files);
      return await work(session, files);
    } catch (err) {
      throw unwrap(err);
    } finally {
      await session.end();
    }
  }

  private async verify(ex: DbExecutor, files: MigrationFile[]): Promise<void> {
    const applied = await ex.query<AppliedRow & Record<string, unknown>>(`SELECT name, checksum, applied_at FROM ${MIGRATIONS_TABLE}`);
    for (const row of applied) {
      const file = files.find((f) => f.name === row.name);
      if (file === undefined) throw new LokstraError('LKS_ERR_MIGRATION_MISSING', { name: row.name, service: this.service, file: join(this.dir, `${row.name}.up.sql`) });
      if (file.checksum !== row.checksum) {
        throw new LokstraError('LKS_ERR_MIGRATION_CHECKSUM', { name: row.name, service: this.service, applied: row.checksum.slice(0, 12), current: file.checksum.slice(0, 12) });
      }
    }
  }

  private umzug(session: MigrationSession, files: MigrationFile[]): InstanceType<ReturnType<typeof optional.umzug>['Umzug']> {
    const { Umzug } = optional.umzug();
    const ph = (n: number): string => (this.pool.dialect === 'postgres' ? `$${n}` : '?');
    return new Umzug({
      migrations: files.map((f) => ({
        name: f.name,
        path: f.upPath,
        up: () => session.atomically(async (ex) => {
          await this.runFile(ex, f.name, f.upPath);
          await ex.exec(`INSERT INTO ${MIGRATIONS_TABLE} (name, checksum, applied_at) VALUES (${ph(1)}, ${ph(2)}, ${ph(3)})`, [f.name, f.checksum, new Date().toISOString()]);
        }),
        down: () => session.atomically(async (ex) => {
          if (f.downPath === undefined) throw new LokstraError('LKS_ERR_MIGRATION_NO_DOWN', { name: f.name, service: this.service, file: join(this.dir, `${f.name}.down.sql`) });
          await this.runFile(ex, f.name, f.downPath);
          await ex.exec(`DELETE FROM ${MIGRATIONS_TABLE} WHERE name = ${ph(1)}`, [f.name]);
        }),
      })),
      // The rows are written inside each migration's transaction (above), not by umzug afterwards.
      storage: {
        executed: async () => (await session.conn.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY name`)).map((r) => r.name),
        logMigration: async () => undefined,
        unlogMigration: async () => undefined,
      },
      logger: undefined,
    });
  }

  private async runFile(ex: DbExecutor, name: string, file: string): Promise<void> {
    for (const stmt of splitSql(readFileSync(file, 'utf8'), this.pool.dialect)) {
      try {
        await ex.exec(stmt.sql);
      } catch (err) {
        throw new LokstraError('LKS_ERR_MIGRATION_FAILED', { name, service: this.service, file, line: stmt.line, detail: oneLine(err) }, { cause: err });
      }
    }
  }
}

function oneLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0] as string;
}

// umzug wraps a migration's error in its MigrationError; Lokstra's own error is the one to show.
function unwrap(err: unknown): unknown {
  let e = err;
  for (let i = 0; i < 3 && !LokstraError.is(e) && (e as { cause?: unknown })?.cause !== undefined; i++) e = (e as { cause?: unknown }).cause;
  return LokstraError.is(e) ? e : err;
}

import type { Database, Options } from 'better-sqlite3';
import { optional } from '../../internal/optional';
import { currentRequestSignal, enableRequestScope } from '../../internal/request-scope';
import { HTTP_CONTRIBUTION, type HttpContribution } from '../../metadata/types';
import { querySignal } from '../../services/dbpool-pg/executor';
import { abortedQueryError } from '../../services/dbpool-pg/run-query';
import type { DbConnection, DbPool, DbPoolStats, DbTx, QueryOptions, SqlParams, TransactionOptions } from '../../services/dbpool-pg/types';
import { HEALTH_CHECK, type HealthCheck, type HealthCheckResult } from '../../services/health/types';
import { SqlExecutor, type RunResult } from '../internal/executor';
import { SqliteConnection, StatementCache } from './connection';
import { mapSqliteError, markSqliteError } from './errors';
import { ConnectionLock } from './lock';

/** A SQLite database (`lokstra.dbpool_sqlite`): placeholders are `?`. */
export type SqliteDbPool = DbPool<Database, Database>;

/** What a {@link SqlitePool} is built from (the factory reads it from YAML). */
export interface SqlitePoolOptions {
  name: string;
  /** Database file (`:memory:` for a private in-memory one). */
  file: string;
  /** How long a statement waits for another process's lock before `SQLITE_BUSY` (blocks the event loop). */
  busyTimeout: number;
  /** How long a caller waits for this process's connection (held by a transaction) before a 503. */
  acquireTimeout: number;
  journalMode: string;
  foreignKeys: boolean;
  readonly: boolean;
}

function poolError(message: string, code: string): unknown {
  return markSqliteError(Object.assign(new Error(message), { code }));
}

/**
 * One better-sqlite3 connection behind the {@link DbPool} interface. Statements run synchronously;
 * an acquired connection or a transaction holds the connection across awaits, and other callers
 * queue (FIFO) for at most `connection_timeout`.
 */
export class SqlitePool extends SqlExecutor implements SqliteDbPool {
  readonly name: string;
  readonly dialect = 'sqlite' as const;
  readonly schema = undefined;
  readonly pool: Database;
  private readonly options: SqlitePoolOptions;
  private readonly statements: StatementCache;
  private readonly lock = new ConnectionLock();
  private readonly tenants = new Map<string, SqlitePool>();
  private closed = false;

  constructor(options: SqlitePoolOptions) {
    super();
    enableRequestScope();
    this.options = options;
    this.name = options.name;
    const open: Options = { timeout: options.busyTimeout, readonly: options.readonly, fileMustExist: options.readonly };
    const Db = optional.betterSqlite3();
    this.pool = new Db(options.file, open);
    try {
      if (!options.readonly && options.file !== ':memory:') this.pool.pragma(`journal_mode = ${options.journalMode}`);
      this.pool.pragma(`foreign_keys = ${options.foreignKeys ? 'ON' : 'OFF'}`);
    } catch (err) {
      this.pool.close();
      throw err;
    }
    this.statements = new StatementCache(this.pool);
  }

  protected async run<R extends Record<string, unknown>>(sql: string, params?: SqlParams, options?: QueryOptions): Promise<RunResult<R>> {
    if (this.closed) throw poolError('The database connection is not open', 'POOL_CLOSED');
    // Nobody holds the connection: run now, no queueing and no extra turn of the event loop.
    if (!this.lock.busy) return this.statements.run<R>(sql, params);
    const unlock = await this.wait(querySignal(options));
    try {
      return this.statements.run<R>(sql, params);
    } finally {
      unlock();
    }
  }

  private wait(signal: AbortSignal | undefined): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(abortedQueryError(signal));
    return this.lock.acquire(
      this.options.acquireTimeout,
      () => poolError('timeout exceeded when waiting for the connection', 'LOKSTRA_POOL_TIMEOUT'),
      signal,
      () => (signal ? abortedQueryError(signal) : undefined),
    );
  }

  async acquire(schema?: string): Promise<SqliteConnection> {
    if (schema !== undefined) throw new TypeError('lokstra.dbpool_sqlite: acquire(schema) is not supported (SQLite has no schemas)');
    if (this.closed) throw poolError('The database connection is not open', 'POOL_CLOSED');
    const unlock = await this.wait(currentRequestSignal());
    return new SqliteConnection(this.pool, this.statements, unlock);
  }

  async withConnection<T>(fn: (conn: DbConnection<Database>) => Promise<T>, schema?: string): Promise<T> {
    const conn = await this.acquire(schema);
    try {
      return await fn(conn);
    } finally {
      await conn.release();
    }
  }

  transaction<T>(fn: (tx: DbTx<Database>) => Promise<T>, options?: TransactionOptions): Promise<T> {
    return this.withConnection((conn) => conn.transaction(fn, options));
  }

  /** The database in another file (tenant), opened on first use with this pool's settings and cached. */
  tenant(file: string): SqlitePool {
    let pool = this.tenants.get(file);
    if (pool === undefined) {
      if (this.closed) throw poolError('The database connection is not open', 'POOL_CLOSED');
      pool = new SqlitePool({ ...this.options, name: `${this.name}[${file}]`, file });
      this.tenants.set(file, pool);
    }
    return pool;
  }

  stats(): DbPoolStats {
    return { total: this.closed ? 0 : 1, idle: this.closed || this.lock.busy ? 0 : 1, waiting: this.lock.waiting };
  }

  onStop(): Promise<void> {
    return this.close();
  }

  /** Waits for the connection's holder (a running transaction), then closes this database and every tenant's. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.tenants.values()].map((t) => t.close()));
    const unlock = await this.lock.acquire(this.options.acquireTimeout, () => undefined).catch(() => () => undefined);
    this.pool.close();
    unlock();
  }

  [HEALTH_CHECK](): HealthCheck {
    return {
      name: this.name,
      critical: true,
      check: async (): Promise<HealthCheckResult> => {
        await this.query('SELECT 1', [], { signal: null });
        return { status: 'healthy', details: { ...this.stats(), file: this.options.file } };
      },
    };
  }

  [HTTP_CONTRIBUTION](): HttpContribution {
    return { errorMappers: [mapSqliteError] };
  }
}

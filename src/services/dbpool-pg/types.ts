import type { Pool, PoolClient, QueryResultRow } from 'pg';

/** Positional parameters of a query (`$1`, `$2`…). */
export type SqlParams = readonly unknown[];

/** Per-call options of a query. */
export interface QueryOptions {
  /**
   * Cancels the query on the server when aborted (it then fails with a 503) and gives the client
   * back to the pool. Default: the signal of the request being handled (`ctx.signal`: aborted at
   * the route's `timeout` or when the client goes away), none outside a request. `null`: never
   * cancelled (work that must finish even if the request does not).
   */
  signal?: AbortSignal | null;
}

/**
 * Runs SQL: on the pool (a client per call), on an acquired connection, or inside a transaction.
 * Every call is one statement (extended protocol, even without parameters).
 */
export interface DbExecutor {
  /** The rows of a query. */
  query<R extends QueryResultRow = Record<string, unknown>>(sql: string, params?: SqlParams, options?: QueryOptions): Promise<R[]>;
  /** The first row, or `undefined`. */
  queryOne<R extends QueryResultRow = Record<string, unknown>>(sql: string, params?: SqlParams, options?: QueryOptions): Promise<R | undefined>;
  /** Exactly one row; none → `HttpError` 404, several → an error (500). */
  queryMustOne<R extends QueryResultRow = Record<string, unknown>>(sql: string, params?: SqlParams, options?: QueryOptions): Promise<R>;
  /** True when the SELECT returns a row (runs `SELECT EXISTS (<sql>)`). */
  exists(sql: string, params?: SqlParams, options?: QueryOptions): Promise<boolean>;
  /** Runs a statement; resolves with the number of rows it affected. */
  exec(sql: string, params?: SqlParams, options?: QueryOptions): Promise<number>;
}

/** Isolation level and access mode of a transaction. */
export interface TransactionOptions {
  /** `search_path` for this transaction only (`SET LOCAL`): schema-per-tenant. */
  schema?: string;
  isolation?: 'read committed' | 'repeatable read' | 'serializable';
  readOnly?: boolean;
}

/**
 * The executor a transaction callback gets; `transaction` nests with a savepoint. `Client` is the
 * engine's connection (pg `PoolClient` by default; mysql2 `PoolConnection`, better-sqlite3 `Database`).
 */
export interface DbTx<Client = PoolClient> extends DbExecutor {
  readonly client: Client;
  transaction<T>(fn: (tx: DbTx<Client>) => Promise<T>): Promise<T>;
}

/** A client borrowed from the pool: call `release()` (in `finally`) to give it back. */
export interface DbConnection<Client = PoolClient> extends DbExecutor {
  readonly client: Client;
  /** BEGIN … COMMIT on this client; ROLLBACK and rethrow when `fn` throws. */
  transaction<T>(fn: (tx: DbTx<Client>) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Resets `search_path` if `acquire(schema)` set it, then returns the client (a broken one is destroyed). Idempotent. */
  release(): Promise<void>;
}

/** Pool counters. */
export interface DbPoolStats {
  total: number;
  idle: number;
  /** Callers waiting for a client. */
  waiting: number;
}

/** The SQL dialect of a pool: placeholders are `$1` (postgres) or `?` (mysql, sqlite). */
export type DbDialect = 'postgres' | 'mysql' | 'sqlite';

/**
 * A database pool, injected by its service name: `lokstra.dbpool_pg` (the default type
 * parameters), `lokstra.dbpool_mysql` ({@link MysqlDbPool}) or `lokstra.dbpool_sqlite`
 * ({@link SqliteDbPool}); `DbPool<unknown, unknown>` ({@link AnyDbPool}) accepts any of them.
 * @example
 * constructor(@Inject('db.main') private readonly db: DbPool) {}
 * const order = await this.db.queryOne<Order>('SELECT * FROM orders WHERE id = $1', [id]);
 * await this.db.transaction(async (tx) => { await tx.exec('INSERT …'); await tx.exec('UPDATE …'); });
 */
export interface DbPool<Driver = Pool, Client = PoolClient> extends DbExecutor {
  /** The service name (`db.main`). */
  readonly name: string;
  /** The engine's SQL dialect (placeholders: `$1` for postgres, `?` otherwise). */
  readonly dialect: DbDialect;
  /** The default `search_path` schema of every connection, if configured. */
  readonly schema: string | undefined;
  /** The underlying driver pool (pg `Pool`, mysql2 `Pool`, better-sqlite3 `Database`), for what this interface does not cover. */
  readonly pool: Driver;
  /** Borrows a client; with `schema`, its `search_path` (MariaDB: default database) is set (quoted) until `release()`. */
  acquire(schema?: string): Promise<DbConnection<Client>>;
  /** Borrows a client for `fn` and always gives it back. */
  withConnection<T>(fn: (conn: DbConnection<Client>) => Promise<T>, schema?: string): Promise<T>;
  /** BEGIN … COMMIT on a borrowed client; ROLLBACK and rethrow when `fn` throws; the client is always released. */
  transaction<T>(fn: (tx: DbTx<Client>) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** The pool of another database (tenant), created on first use with this pool's settings and cached. */
  tenant(dsn: string): DbPool<Driver, Client>;
  stats(): DbPoolStats;
  /** Ends this pool and every tenant pool. Idempotent. */
  close(): Promise<void>;
}

/** A pool of any engine (what engine-neutral code such as migrations accepts). */
export type AnyDbPool = DbPool<unknown, unknown>;

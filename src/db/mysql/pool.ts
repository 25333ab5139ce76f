import type { Pool, PoolConnection, PoolOptions } from 'mysql2/promise';
import { optional } from '../../internal/optional';
import { currentRequestSignal, enableRequestScope } from '../../internal/request-scope';
import { redactDsn } from '../../internal/secrets';
import { HTTP_CONTRIBUTION, type HttpContribution } from '../../metadata/types';
import { querySignal } from '../../services/dbpool-pg/executor';
import { abortedQueryError } from '../../services/dbpool-pg/run-query';
import type { DbConnection, DbPool, DbPoolStats, DbTx, QueryOptions, SqlParams, TransactionOptions } from '../../services/dbpool-pg/types';
import { HEALTH_CHECK, type HealthCheck, type HealthCheckResult } from '../../services/health/types';
import type { Logger } from '../../services/logger';
import { SqlExecutor, type RunResult } from '../internal/executor';
import { MysqlConnection, type MysqlConnectionHost } from './connection';
import { mapMysqlError, markMysqlError } from './errors';

/** A MariaDB/MySQL pool (`lokstra.dbpool_mysql`): placeholders are `?`. */
export type MysqlDbPool = DbPool<Pool, PoolConnection>;

/** What a {@link MysqlPool} is built from (the factory reads it from YAML). */
export interface MysqlPoolOptions {
  name: string;
  /** mysql2 pool settings (connection, sizes, timeouts). */
  mysql: PoolOptions;
  /** The wait for a free connection, in ms. */
  acquireTimeout: number;
  /** Server-side statement deadline in ms (0: none); the client gives up one second later. */
  statementTimeout: number;
  minConnections: number;
  logger: Logger;
  /** Where the pool connects, for messages (credentials removed). */
  target: string;
}

const QUERY_TIMEOUT_GRACE_MS = 1_000;

/** A mysql2 pool with the rules of Lokstra's pg pool (see {@link DbPool}). */
export class MysqlPool extends SqlExecutor implements MysqlDbPool, MysqlConnectionHost {
  readonly name: string;
  readonly dialect = 'mysql' as const;
  readonly pool: Pool;
  readonly database: string | undefined;
  readonly queryTimeout: number;
  private readonly options: MysqlPoolOptions;
  private readonly tenants = new Map<string, MysqlPool>();
  private closed: Promise<void> | undefined;
  private waiting = 0;

  constructor(options: MysqlPoolOptions) {
    super();
    enableRequestScope();
    this.options = options;
    this.name = options.name;
    this.database = options.mysql.database ?? (options.mysql.uri === undefined ? undefined : (new URL(options.mysql.uri).pathname.slice(1) || undefined));
    this.queryTimeout = options.statementTimeout > 0 ? options.statementTimeout + QUERY_TIMEOUT_GRACE_MS : 0;
    this.pool = optional.mysql2().createPool(options.mysql);
    const seconds = options.statementTimeout / 1000;
    // The server-side deadline, per connection: MariaDB's max_statement_time (MySQL: max_execution_time, SELECT only).
    (this.pool as unknown as { pool: { on(e: string, fn: (c: { query(sql: string, cb: (err: unknown) => void): void }) => void): void } }).pool.on('connection', (conn) => {
      if (seconds <= 0) return;
      conn.query(`SET SESSION max_statement_time = ${seconds}`, (err) => {
        if (err) conn.query(`SET SESSION max_execution_time = ${options.statementTimeout}`, () => undefined);
      });
    });
  }

  get schema(): string | undefined {
    return this.database;
  }

  protected async run<R extends Record<string, unknown>>(sql: string, params?: SqlParams, options?: QueryOptions): Promise<RunResult<R>> {
    const conn = await this.connect(querySignal(options));
    try {
      return await conn.runStatement<R>(sql, params, options);
    } finally {
      await conn.release();
    }
  }

  async acquire(schema?: string): Promise<MysqlConnection> {
    const conn = await this.connect(currentRequestSignal());
    if (schema !== undefined) {
      try {
        await conn.setSchema(schema);
      } catch (err) {
        await conn.release();
        throw err;
      }
    }
    return conn;
  }

  // mysql2 waits for a free connection forever: the wait ends at acquireTimeout (503) or when the signal aborts.
  private connect(signal: AbortSignal | undefined): Promise<MysqlConnection> {
    if (signal?.aborted) return Promise.reject(abortedQueryError(signal));
    if (this.closed !== undefined) return Promise.reject(markMysqlError(Object.assign(new Error('Pool is closed'), { code: 'POOL_CLOSED' })));
    this.waiting++;
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (): boolean => {
        if (settled) return false;
        settled = true;
        this.waiting--;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        return true;
      };
      const timer = setTimeout(() => {
        if (finish()) reject(markMysqlError(Object.assign(new Error('timeout exceeded when waiting for a connection'), { code: 'LOKSTRA_POOL_TIMEOUT' })));
      }, this.options.acquireTimeout);
      const onAbort = (): void => {
        if (finish() && signal) reject(abortedQueryError(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pool.getConnection().then(
        (client) => {
          if (finish()) resolve(new MysqlConnection(client, this));
          else client.release();
        },
        (err: unknown) => {
          if (finish()) reject(markMysqlError(err));
        },
      );
    });
  }

  async withConnection<T>(fn: (conn: DbConnection<PoolConnection>) => Promise<T>, schema?: string): Promise<T> {
    const conn = await this.acquire(schema);
    try {
      return await fn(conn);
    } finally {
      await conn.release();
    }
  }

  transaction<T>(fn: (tx: DbTx<PoolConnection>) => Promise<T>, options?: TransactionOptions): Promise<T> {
    return this.withConnection((conn) => conn.transaction(fn, options));
  }

  tenant(dsn: string): MysqlPool {
    let pool = this.tenants.get(dsn);
    if (pool === undefined) {
      if (this.closed !== undefined) throw markMysqlError(Object.assign(new Error('Pool is closed'), { code: 'POOL_CLOSED' }));
      const target = redactDsn(dsn);
      const { host: _h, port: _p, user: _u, password: _w, database: _d, ...rest } = this.options.mysql;
      pool = new MysqlPool({ ...this.options, name: `${this.name}[${target}]`, target, mysql: { ...rest, uri: dsn } });
      this.tenants.set(dsn, pool);
    }
    return pool;
  }

  /** Sends `KILL QUERY` for a connection's running statement on a short connection of its own (no pool slot). */
  async killQuery(threadId: number): Promise<void> {
    const { connectionLimit: _l, maxIdle: _m, idleTimeout: _i, queueLimit: _q, waitForConnections: _w, ...single } = this.options.mysql;
    try {
      const conn = await optional.mysql2().createConnection(single);
      try {
        await conn.query(`KILL QUERY ${Number(threadId)}`);
      } finally {
        await conn.end().catch(() => undefined);
      }
    } catch {
      // The query then ends at statement_timeout.
    }
  }

  stats(): DbPoolStats {
    const inner = (this.pool as unknown as { pool: { _allConnections?: { length: number }; _freeConnections?: { length: number } } }).pool;
    return { total: inner._allConnections?.length ?? 0, idle: inner._freeConnections?.length ?? 0, waiting: this.waiting };
  }

  /** Fails boot with a one-line reason when the server cannot be reached; warms up `min_connections`. */
  async onStart(): Promise<void> {
    try {
      await this.query('SELECT 1', [], { signal: null });
    } catch (err) {
      await this.close();
      throw new Error(`cannot reach MariaDB/MySQL at ${this.options.target}: ${describe(err)}`, { cause: err });
    }
    const min = this.options.minConnections;
    if (min > 1) {
      const settled = await Promise.allSettled(Array.from({ length: min }, () => this.pool.getConnection()));
      for (const s of settled) if (s.status === 'fulfilled') s.value.release();
    }
  }

  onStop(): Promise<void> {
    return this.close();
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      await Promise.all([...this.tenants.values()].map((t) => t.close()));
      await this.pool.end();
    })();
    return this.closed;
  }

  [HEALTH_CHECK](): HealthCheck {
    return {
      name: this.name,
      critical: true,
      check: async (): Promise<HealthCheckResult> => {
        await this.query('SELECT 1', [], { signal: null });
        return { status: 'healthy', details: { ...this.stats() } };
      },
    };
  }

  [HTTP_CONTRIBUTION](): HttpContribution {
    return { errorMappers: [mapMysqlError] };
  }
}

function describe(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  const message = typeof e?.message === 'string' ? redactDsn(e.message) : String(err);
  return typeof e?.code === 'string' && !message.includes(e.code) ? `${e.code} ${message}` : message;
}

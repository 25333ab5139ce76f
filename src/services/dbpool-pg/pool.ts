import type { Pool, PoolClient, PoolConfig, QueryResult, QueryResultRow } from 'pg';
import { optional } from '../../internal/optional';
import { currentRequestSignal, enableRequestScope } from '../../internal/request-scope';
import { redactDsn } from '../../internal/secrets';
import { HTTP_CONTRIBUTION, type HttpContribution } from '../../metadata/types';
import { HEALTH_CHECK, type HealthCheck, type HealthCheckResult } from '../health/types';
import type { Logger } from '../logger';
import { PgConnection } from './connection';
import { mapPgError, markDbError } from './errors';
import { Executor, querySignal } from './executor';
import { abortedQueryError } from './run-query';
import type { DbConnection, DbPool, DbPoolStats, DbTx, QueryOptions, SqlParams, TransactionOptions } from './types';

/** What a {@link PgPool} is built from (the factory reads it from YAML). */
export interface PgPoolOptions {
  name: string;
  /** pg pool settings (connection, sizes, timeouts, startup `options`). */
  pg: PoolConfig;
  schema: string | undefined;
  logger: Logger;
  /** Where the pool connects, for messages (credentials removed). */
  target: string;
}

// Several idle clients fail at once when the server restarts: one log line per window, not one per client.
const POOL_ERROR_LOG_WINDOW_MS = 10_000;

/** A pg pool with Lokstra's safety rules (see {@link DbPool}). */
export class PgPool extends Executor implements DbPool {
  readonly name: string;
  readonly dialect = 'postgres' as const;
  readonly schema: string | undefined;
  readonly pool: Pool;
  private readonly options: PgPoolOptions;
  private readonly tenants = new Map<string, PgPool>();
  private lastErrorLog = 0;
  private suppressed = 0;
  private closed: Promise<void> | undefined;

  constructor(options: PgPoolOptions) {
    super();
    enableRequestScope();
    this.options = options;
    this.name = options.name;
    this.schema = options.schema;
    this.pool = new (optional.pg().Pool)(options.pg);
    this.pool.on('error', (err) => this.onPoolError(err));
  }

  private onPoolError(err: Error): void {
    const now = Date.now();
    if (now - this.lastErrorLog < POOL_ERROR_LOG_WINDOW_MS) {
      this.suppressed++;
      return;
    }
    this.options.logger.warn(`pool ${this.name}: idle client lost (${err.message}); it is replaced on next use`, {
      service: this.name, target: this.options.target, code: (err as { code?: string }).code, suppressed: this.suppressed,
    });
    this.lastErrorLog = now;
    this.suppressed = 0;
  }

  // A client of its own per call (PgConnection: one statement, cancellable, broken clients destroyed).
  protected async run<R extends QueryResultRow>(sql: string, params?: SqlParams, options?: QueryOptions): Promise<QueryResult<R>> {
    const conn = await this.connect(querySignal(options));
    try {
      return await conn.runStatement<R>(sql, params, options);
    } finally {
      await conn.release();
    }
  }

  async acquire(schema?: string): Promise<DbConnection> {
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

  // Waiting for a free client ends when the signal aborts (the client, once had, goes straight back).
  private async connect(signal: AbortSignal | undefined): Promise<PgConnection> {
    if (signal?.aborted) throw abortedQueryError(signal);
    try {
      return new PgConnection(await (signal === undefined ? this.pool.connect() : untilAborted(this.pool.connect(), signal)));
    } catch (err) {
      throw markDbError(err);
    }
  }

  async withConnection<T>(fn: (conn: DbConnection) => Promise<T>, schema?: string): Promise<T> {
    const conn = await this.acquire(schema);
    try {
      return await fn(conn);
    } finally {
      await conn.release();
    }
  }

  transaction<T>(fn: (tx: DbTx) => Promise<T>, options?: TransactionOptions): Promise<T> {
    return this.withConnection((conn) => conn.transaction(fn, options));
  }

  tenant(dsn: string): DbPool {
    let pool = this.tenants.get(dsn);
    if (pool === undefined) {
      if (this.closed !== undefined) throw markDbError(new Error('Cannot use a pool after calling end on the pool'));
      const target = redactDsn(dsn);
      pool = new PgPool({ ...this.options, name: `${this.name}[${target}]`, target, pg: { ...this.options.pg, connectionString: dsn } });
      this.tenants.set(dsn, pool);
    }
    return pool;
  }

  stats(): DbPoolStats {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  /** Fails boot with a one-line reason when the server cannot be reached; warms up `min_connections`. */
  async onStart(): Promise<void> {
    try {
      await this.pool.query('SELECT 1');
    } catch (err) {
      await this.close();
      throw new Error(`cannot reach PostgreSQL at ${this.options.target}: ${describe(err)}`, { cause: err });
    }
    const min = this.options.pg.min ?? 0;
    if (min > 1) {
      const settled = await Promise.allSettled(Array.from({ length: min }, () => this.pool.connect()));
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
        await this.pool.query('SELECT 1');
        return { status: 'healthy', details: { ...this.stats() } };
      },
    };
  }

  [HTTP_CONTRIBUTION](): HttpContribution {
    return { errorMappers: [mapPgError] };
  }
}

function untilAborted(pending: Promise<PoolClient>, signal: AbortSignal): Promise<PoolClient> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      reject(abortedQueryError(signal));
      pending.then((client) => client.release(), () => undefined);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (client) => { signal.removeEventListener('abort', onAbort); resolve(client); },
      (err: unknown) => { signal.removeEventListener('abort', onAbort); reject(err); },
    );
  });
}

function describe(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  const message = typeof e?.message === 'string' ? redactDsn(e.message) : String(err);
  return typeof e?.code === 'string' && !message.includes(e.code) ? `${e.code} ${message}` : message;
}

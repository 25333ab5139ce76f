import type { PoolConnection } from 'mysql2/promise';
import { abortedQueryError } from '../../services/dbpool-pg/run-query';
import type { DbConnection, DbTx, QueryOptions, SqlParams, TransactionOptions } from '../../services/dbpool-pg/types';
import { querySignal } from '../../services/dbpool-pg/executor';
import { bindParams, isolationSql, SqlExecutor, type RunResult } from '../internal/executor';
import { isMysqlConnectionError, markMysqlError, quoteMysqlIdent } from './errors';

/** What a connection needs from its pool: the query deadline, how to kill a running query, the default database. */
export interface MysqlConnectionHost {
  /** Client-side deadline of one statement in ms (0: none). */
  readonly queryTimeout: number;
  /** The database a connection returns to after `acquire(schema)`. */
  readonly database: string | undefined;
  /** Sends `KILL QUERY <id>` on a separate connection; never rejects. */
  killQuery(threadId: number): Promise<void>;
}

/** A borrowed mysql2 connection: tracks whether it broke, resets the database before going back. */
export class MysqlConnection extends SqlExecutor implements DbConnection<PoolConnection>, DbTx<PoolConnection> {
  readonly client: PoolConnection;
  private readonly host: MysqlConnectionHost;
  private schemaSet = false;
  private broken: unknown = undefined;
  private depth = 0;
  private released: Promise<void> | undefined;

  constructor(client: PoolConnection, host: MysqlConnectionHost) {
    super();
    this.client = client;
    this.host = host;
  }

  protected run<R extends Record<string, unknown>>(sql: string, params?: SqlParams, options?: QueryOptions): Promise<RunResult<R>> {
    return this.runStatement<R>(sql, params, options);
  }

  /** @internal One statement on this connection (the pool's per-call queries use it too). */
  async runStatement<R extends Record<string, unknown>>(sql: string, params?: SqlParams, options?: QueryOptions): Promise<RunResult<R>> {
    const signal = querySignal(options);
    if (signal?.aborted) throw abortedQueryError(signal);
    let killing: Promise<void> | undefined;
    const onAbort = (): void => {
      killing = this.host.killQuery(this.client.threadId);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const timeout = this.host.queryTimeout;
      const [result] = await this.client.query({ sql, values: bindParams(params), ...(timeout > 0 ? { timeout } : {}) });
      if (Array.isArray(result)) return { rows: result as R[], rowCount: result.length };
      return { rows: [], rowCount: (result as { affectedRows?: number }).affectedRows ?? 0 };
    } catch (err) {
      if (isMysqlConnectionError(err)) this.broken ??= err;
      if (killing !== undefined && signal !== undefined) throw abortedQueryError(signal);
      throw markMysqlError(err);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (killing !== undefined) await killing;
    }
  }

  /** Makes `schema` (a database) the default one; `release()` switches back. */
  async setSchema(schema: string): Promise<void> {
    const quoted = quoteMysqlIdent(schema);
    this.schemaSet = true;
    await this.run(`USE ${quoted}`);
  }

  async transaction<T>(fn: (tx: DbTx<PoolConnection>) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    if (this.depth > 0) return this.savepoint(fn);
    const isolation = isolationSql(options.isolation);
    if (options.schema !== undefined) await this.setSchema(options.schema);
    if (isolation !== undefined) await this.run(`SET TRANSACTION ISOLATION LEVEL ${isolation}`);
    await this.run(options.readOnly === true ? 'START TRANSACTION READ ONLY' : 'START TRANSACTION');
    this.depth = 1;
    try {
      const result = await fn(this);
      await this.run('COMMIT');
      return result;
    } catch (err) {
      await this.rollback('ROLLBACK');
      throw err;
    } finally {
      this.depth = 0;
    }
  }

  private async savepoint<T>(fn: (tx: DbTx<PoolConnection>) => Promise<T>): Promise<T> {
    const name = `lokstra_sp_${this.depth}`;
    await this.run(`SAVEPOINT ${name}`);
    this.depth++;
    try {
      const result = await fn(this);
      await this.run(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (err) {
      await this.rollback(`ROLLBACK TO SAVEPOINT ${name}`);
      throw err;
    } finally {
      this.depth--;
    }
  }

  // A failed ROLLBACK leaves the session in an unknown state: the connection is destroyed on release.
  private async rollback(statement: string): Promise<void> {
    if (this.broken !== undefined) return;
    try {
      await this.client.query(statement);
    } catch (err) {
      this.broken = err;
    }
  }

  release(): Promise<void> {
    this.released ??= (async () => {
      if (this.broken === undefined && this.schemaSet) {
        const db = this.host.database;
        if (db === undefined) this.broken = new Error('no default database to return to');
        else {
          try {
            await this.client.query(`USE ${quoteMysqlIdent(db)}`);
          } catch (err) {
            this.broken = err;
          }
        }
      }
      if (this.broken === undefined) this.client.release();
      else this.client.destroy();
    })();
    return this.released;
  }
}

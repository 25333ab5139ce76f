import type { PoolClient, QueryResult, QueryResultRow } from 'pg';
import { isConnectionError, markDbError, quoteIdent } from './errors';
import { Executor, querySignal } from './executor';
import { abortedQueryError, cancellableQuery, statement } from './run-query';
import type { DbConnection, DbTx, QueryOptions, SqlParams, TransactionOptions } from './types';

const ISOLATION = new Set(['read committed', 'repeatable read', 'serializable']);

/** A borrowed client: tracks whether it broke, and resets `search_path` before going back. */
export class PgConnection extends Executor implements DbConnection, DbTx {
  readonly client: PoolClient;
  private schemaSet = false;
  private broken: unknown = undefined;
  private depth = 0;
  private released: Promise<void> | undefined;
  // A checked-out client has no 'error' listener from pg-pool: without this one, a backend killed
  // between two queries would emit an unhandled 'error' and crash the process.
  private readonly onError = (err: Error): void => {
    this.broken ??= err;
  };

  constructor(client: PoolClient) {
    super();
    this.client = client;
    client.on('error', this.onError);
  }

  protected run<R extends QueryResultRow>(sql: string, params?: SqlParams, options?: QueryOptions): Promise<QueryResult<R>> {
    return this.runStatement<R>(sql, params, options);
  }

  /** @internal One statement on this client (the pool's per-call queries use it too). */
  async runStatement<R extends QueryResultRow>(sql: string, params?: SqlParams, options?: QueryOptions): Promise<QueryResult<R>> {
    const signal = querySignal(options);
    if (signal?.aborted) throw abortedQueryError(signal);
    try {
      return await cancellableQuery<R>(this.client, statement(sql, params), signal);
    } catch (err) {
      if (isConnectionError(err)) this.broken ??= err;
      throw markDbError(err);
    }
  }

  /** Sets the session `search_path` (quoted); `release()` resets it. */
  async setSchema(schema: string): Promise<void> {
    const quoted = quoteIdent(schema);
    this.schemaSet = true;
    await this.run(`SET search_path TO ${quoted}`);
  }

  async transaction<T>(fn: (tx: DbTx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    if (this.depth > 0) return this.savepoint(fn);
    const schema = options.schema === undefined ? undefined : quoteIdent(options.schema);
    await this.run(beginStatement(options));
    this.depth = 1;
    try {
      if (schema !== undefined) await this.run(`SET LOCAL search_path TO ${schema}`);
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

  private async savepoint<T>(fn: (tx: DbTx) => Promise<T>): Promise<T> {
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

  // A failed ROLLBACK leaves the session in an unknown state: the client is destroyed on release.
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
        try {
          await this.client.query('RESET search_path');
        } catch (err) {
          this.broken = err;
        }
      }
      this.client.removeListener('error', this.onError);
      // pg-pool destroys a client released with an error instead of pooling it.
      this.client.release(this.broken === undefined ? undefined : (this.broken instanceof Error ? this.broken : true));
    })();
    return this.released;
  }
}

function beginStatement(options: TransactionOptions): string {
  let sql = 'BEGIN';
  if (options.isolation !== undefined) {
    if (!ISOLATION.has(options.isolation)) throw new TypeError(`unknown isolation level '${String(options.isolation)}'`);
    sql += ` ISOLATION LEVEL ${options.isolation.toUpperCase()}`;
  }
  if (options.readOnly === true) sql += ' READ ONLY';
  return sql;
}

import type { Database, Statement } from 'better-sqlite3';
import type { DbConnection, DbTx, QueryOptions, SqlParams, TransactionOptions } from '../../services/dbpool-pg/types';
import { bindParams, isolationSql, SqlExecutor, type RunResult } from '../internal/executor';
import { markSqliteError } from './errors';

const STATEMENT_CACHE = 200;

/** Prepared statements of one database, most recently used kept (preparing costs more than running). */
export class StatementCache {
  private readonly db: Database;
  private readonly cache = new Map<string, Statement>();

  constructor(db: Database) {
    this.db = db;
  }

  /** Runs one statement synchronously (better-sqlite3 refuses a string holding several). */
  run<R>(sql: string, params: SqlParams | undefined): RunResult<R> {
    try {
      let stmt = this.cache.get(sql);
      if (stmt === undefined) {
        stmt = this.db.prepare(sql);
        if (this.cache.size >= STATEMENT_CACHE) this.cache.delete(this.cache.keys().next().value as string);
      } else this.cache.delete(sql);
      this.cache.set(sql, stmt);
      const values = sqliteParams(params);
      if (stmt.reader) {
        const rows = stmt.all(...values) as R[];
        return { rows, rowCount: rows.length };
      }
      return { rows: [], rowCount: stmt.run(...values).changes };
    } catch (err) {
      throw markSqliteError(err);
    }
  }
}

// SQLite has no boolean or date type: true/false are 1/0 and dates ISO-8601 text (as the pg pool's JSON would be).
function sqliteParams(params: SqlParams | undefined): unknown[] {
  return bindParams(params).map((v) => {
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (v instanceof Date) return v.toISOString();
    if (v === undefined) return null;
    return v;
  });
}

/** The one SQLite connection while a caller holds its lock (an acquired connection or a transaction). */
export class SqliteConnection extends SqlExecutor implements DbConnection<Database>, DbTx<Database> {
  readonly client: Database;
  private readonly statements: StatementCache;
  private readonly unlock: () => void;
  private depth = 0;
  private released = false;

  constructor(client: Database, statements: StatementCache, unlock: () => void) {
    super();
    this.client = client;
    this.statements = statements;
    this.unlock = unlock;
  }

  protected run<R extends Record<string, unknown>>(sql: string, params?: SqlParams, _options?: QueryOptions): Promise<RunResult<R>> {
    if (this.released) return Promise.reject(new Error('connection used after release()'));
    try {
      return Promise.resolve(this.statements.run<R>(sql, params));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * BEGIN IMMEDIATE … COMMIT (the write lock taken up front, so two writers never deadlock on an
   * upgrade; `readOnly` → BEGIN DEFERRED). SQLite transactions are serializable whatever
   * `isolation` asks; `schema` is not supported (no schemas in SQLite).
   */
  async transaction<T>(fn: (tx: DbTx<Database>) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    if (this.depth > 0) return this.savepoint(fn);
    isolationSql(options.isolation);
    if (options.schema !== undefined) throw new TypeError('lokstra.dbpool_sqlite: transaction schema is not supported (SQLite has no schemas)');
    await this.run(options.readOnly === true ? 'BEGIN DEFERRED' : 'BEGIN IMMEDIATE');
    this.depth = 1;
    try {
      const result = await fn(this);
      await this.run('COMMIT');
      return result;
    } catch (err) {
      this.rollback('ROLLBACK');
      throw err;
    } finally {
      this.depth = 0;
    }
  }

  private async savepoint<T>(fn: (tx: DbTx<Database>) => Promise<T>): Promise<T> {
    const name = `lokstra_sp_${this.depth}`;
    await this.run(`SAVEPOINT ${name}`);
    this.depth++;
    try {
      const result = await fn(this);
      await this.run(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (err) {
      this.rollback(`ROLLBACK TO SAVEPOINT ${name}`);
      throw err;
    } finally {
      this.depth--;
    }
  }

  // SQLite may already have rolled back on its own (e.g. after SQLITE_FULL): only roll back an open transaction.
  private rollback(statement: string): void {
    if (!this.client.inTransaction) return;
    try {
      this.client.prepare(statement).run();
    } catch {
      if (this.client.inTransaction) this.client.prepare('ROLLBACK').run();
    }
  }

  release(): Promise<void> {
    if (!this.released) {
      this.released = true;
      // A caller that forgot to finish its transaction must not leave it open for the next one.
      if (this.client.open && this.client.inTransaction) this.client.prepare('ROLLBACK').run();
      this.unlock();
    }
    return Promise.resolve();
  }
}

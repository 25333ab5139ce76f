import { HttpError } from '../../errors/http-error';
import type { DbExecutor, QueryOptions, SqlParams } from '../../services/dbpool-pg/types';

type Row = Record<string, unknown>;

/** What one statement produced: its rows (none for a write) and the rows it affected. */
export interface RunResult<R> {
  rows: R[];
  rowCount: number;
}

/**
 * `query/queryOne/queryMustOne/exists/exec` over one `run` primitive, for the engines whose driver
 * is not pg (MariaDB/MySQL, SQLite). Same contract as the pg executor.
 */
export abstract class SqlExecutor implements DbExecutor {
  /** Runs one statement; errors are tagged as database errors. */
  protected abstract run<R extends Row>(sql: string, params?: SqlParams, options?: QueryOptions): Promise<RunResult<R>>;

  async query<R extends Row = Row>(sql: string, params?: SqlParams, options?: QueryOptions): Promise<R[]> {
    return (await this.run<R>(sql, params, options)).rows;
  }

  async queryOne<R extends Row = Row>(sql: string, params?: SqlParams, options?: QueryOptions): Promise<R | undefined> {
    return (await this.run<R>(sql, params, options)).rows[0];
  }

  async queryMustOne<R extends Row = Row>(sql: string, params?: SqlParams, options?: QueryOptions): Promise<R> {
    const { rows } = await this.run<R>(sql, params, options);
    if (rows.length === 0) throw HttpError.notFound('Record not found');
    if (rows.length > 1) throw new Error(`queryMustOne: expected exactly one row, got ${rows.length}`);
    return rows[0] as R;
  }

  async exists(sql: string, params?: SqlParams, options?: QueryOptions): Promise<boolean> {
    const inner = sql.trim().replace(/;+\s*$/, '');
    // Neither MariaDB nor SQLite has a boolean type: EXISTS answers 1 or 0.
    const row = (await this.run<{ lokstra_exists: unknown }>(`SELECT EXISTS (${inner}) AS lokstra_exists`, params, options)).rows[0];
    return Number(row?.lokstra_exists) === 1;
  }

  async exec(sql: string, params?: SqlParams, options?: QueryOptions): Promise<number> {
    return (await this.run(sql, params, options)).rowCount;
  }
}

/**
 * Parameters as the non-pg drivers should see them: plain objects become JSON text (as pg sends
 * them) instead of mysql2's `key = value` expansion or a better-sqlite3 named-parameter bag.
 */
export function bindParams(params: SqlParams | undefined): unknown[] {
  if (params === undefined) return [];
  return params.map((p) => (isPlainObject(p) ? JSON.stringify(p) : p));
}

function isPlainObject(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Validates a transaction's isolation level and returns it upper-cased. */
export function isolationSql(isolation: string | undefined): string | undefined {
  if (isolation === undefined) return undefined;
  if (!['read committed', 'repeatable read', 'serializable'].includes(isolation)) throw new TypeError(`unknown isolation level '${isolation}'`);
  return isolation.toUpperCase();
}

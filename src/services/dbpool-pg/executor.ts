import type { QueryResult, QueryResultRow } from 'pg';
import { HttpError } from '../../errors/http-error';
import { currentRequestSignal } from '../../internal/request-scope';
import type { DbExecutor, QueryOptions, SqlParams } from './types';

/** The signal a query obeys: the one given, none for `null`, else the current request's. */
export function querySignal(options: QueryOptions | undefined): AbortSignal | undefined {
  const given = options?.signal;
  if (given === null) return undefined;
  return given ?? currentRequestSignal();
}

/** `query/queryOne/queryMustOne/exists/exec` over one `run` primitive (pool, connection or transaction). */
export abstract class Executor implements DbExecutor {
  /** Runs one statement; errors are tagged as database errors. */
  protected abstract run<R extends QueryResultRow>(sql: string, params?: SqlParams, options?: QueryOptions): Promise<QueryResult<R>>;

  async query<R extends QueryResultRow = Record<string, unknown>>(sql: string, params?: SqlParams, options?: QueryOptions): Promise<R[]> {
    return (await this.run<R>(sql, params, options)).rows;
  }

  async queryOne<R extends QueryResultRow = Record<string, unknown>>(sql: string, params?: SqlParams, options?: QueryOptions): Promise<R | undefined> {
    return (await this.run<R>(sql, params, options)).rows[0];
  }

  async queryMustOne<R extends QueryResultRow = Record<string, unknown>>(sql: string, params?: SqlParams, options?: QueryOptions): Promise<R> {
    const { rows } = await this.run<R>(sql, params, options);
    if (rows.length === 0) throw HttpError.notFound('Record not found');
    if (rows.length > 1) throw new Error(`queryMustOne: expected exactly one row, got ${rows.length}`);
    return rows[0] as R;
  }

  async exists(sql: string, params?: SqlParams, options?: QueryOptions): Promise<boolean> {
    const inner = sql.trim().replace(/;+\s*$/, '');
    const row = (await this.run<{ exists: boolean }>(`SELECT EXISTS (${inner}) AS "exists"`, params, options)).rows[0];
    return row?.exists === true;
  }

  async exec(sql: string, params?: SqlParams, options?: QueryOptions): Promise<number> {
    return (await this.run(sql, params, options)).rowCount ?? 0;
  }
}

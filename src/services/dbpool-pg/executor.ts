import type { QueryResult, QueryResultRow } from 'pg';
import { HttpError } from '../../errors/http-error';
import type { DbExecutor, SqlParams } from './types';

/** `query/queryOne/queryMustOne/exists/exec` over one `run` primitive (pool, connection or transaction). */
export abstract class Executor implements DbExecutor {
  /** Runs one statement; errors are tagged as database errors. */
  protected abstract run<R extends QueryResultRow>(sql: string, params?: SqlParams): Promise<QueryResult<R>>;

  async query<R extends QueryResultRow = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<R[]> {
    return (await this.run<R>(sql, params)).rows;
  }

  async queryOne<R extends QueryResultRow = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<R | undefined> {
    return (await this.run<R>(sql, params)).rows[0];
  }

  async queryMustOne<R extends QueryResultRow = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<R> {
    const { rows } = await this.run<R>(sql, params);
    if (rows.length === 0) throw HttpError.notFound('Record not found');
    if (rows.length > 1) throw new Error(`queryMustOne: expected exactly one row, got ${rows.length}`);
    return rows[0] as R;
  }

  async exists(sql: string, params?: SqlParams): Promise<boolean> {
    const inner = sql.trim().replace(/;+\s*$/, '');
    const row = (await this.run<{ exists: boolean }>(`SELECT EXISTS (${inner}) AS "exists"`, params)).rows[0];
    return row?.exists === true;
  }

  async exec(sql: string, params?: SqlParams): Promise<number> {
    return (await this.run(sql, params)).rowCount ?? 0;
  }
}

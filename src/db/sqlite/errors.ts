import { HttpError } from '../../errors/http-error';
import { markDbError } from '../../services/dbpool-pg/errors';

const SQLITE_ERROR = Symbol.for('lokstra.sqlite-error');
const RETRY_AFTER = { 'retry-after': '1' };

/** Tags an error thrown by a SQLite pool (the mapper trusts only tagged errors). */
export function markSqliteError(err: unknown): unknown {
  markDbError(err);
  if (typeof err === 'object' && err !== null && !Object.isFrozen(err)) {
    Object.defineProperty(err, SQLITE_ERROR, { value: true, enumerable: false, configurable: true });
  }
  return err;
}

/**
 * Maps SQLite errors of Lokstra's pools to safe HTTP errors, like `mapPgError`: a value of the wrong
 * type (STRICT tables), too big or mismatched → 400; UNIQUE/PRIMARY KEY → 409 CONFLICT, other
 * constraints → 409; `SQLITE_BUSY`/`SQLITE_LOCKED` (busy_timeout spent), an interrupted statement,
 * the connection lock not had within `connection_timeout` or a closed database → 503 + `Retry-After`.
 */
export function mapSqliteError(err: unknown): HttpError | undefined {
  if (typeof err !== 'object' || err === null || (err as Record<symbol, unknown>)[SQLITE_ERROR] !== true) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return undefined;
  if (code === 'SQLITE_CONSTRAINT_DATATYPE' || code === 'SQLITE_MISMATCH' || code === 'SQLITE_TOOBIG' || code === 'SQLITE_RANGE') {
    return new HttpError(400, 'Invalid input value', { cause: err });
  }
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return new HttpError(409, 'Resource already exists', { code: 'CONFLICT', cause: err });
  if (code.startsWith('SQLITE_CONSTRAINT')) return new HttpError(409, 'Request conflicts with existing data', { code: 'CONFLICT', cause: err });
  if (code === 'LOKSTRA_POOL_TIMEOUT' || code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new HttpError(503, 'Database is busy, retry later', { headers: RETRY_AFTER, cause: err });
  }
  if (code === 'SQLITE_INTERRUPT' || code === 'POOL_CLOSED' || code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN') {
    return new HttpError(503, 'Database unavailable, retry later', { headers: RETRY_AFTER, cause: err });
  }
  return undefined;
}

import { HttpError } from '../../errors/http-error';
import { markDbError } from '../../services/dbpool-pg/errors';

const MYSQL_ERROR = Symbol.for('lokstra.mysql-error');
const RETRY_AFTER = { 'retry-after': '1' };

/** Tags an error thrown by a MariaDB/MySQL pool (the mapper trusts only tagged errors). */
export function markMysqlError(err: unknown): unknown {
  markDbError(err);
  if (typeof err === 'object' && err !== null && !Object.isFrozen(err)) {
    Object.defineProperty(err, MYSQL_ERROR, { value: true, enumerable: false, configurable: true });
  }
  return err;
}

// Server errnos (MariaDB and MySQL share them): value errors → 400, integrity → 409, the rest → 503.
const BAD_VALUE = new Set([1264, 1265, 1292, 1366, 1367, 1406, 1411, 1416]);
const DUPLICATE = new Set([1062, 1586, 1022]);
const INTEGRITY = new Set([1048, 1216, 1217, 1451, 1452, 1557, 1761, 1762, 3819, 4025]);
const TIMEOUT = new Set([1205, 1969, 3024, 1317, 1028]);
const CONCURRENT = new Set([1213]);
const GONE = new Set([1040, 1053, 1077, 1078, 1079, 1080, 1152, 1153, 1154, 1155, 1156, 1157, 1158, 1159, 1160, 1161, 1203, 1226, 1927, 2002, 2003, 2006, 2013]);
// mysql2's own codes for a connection that broke, never came, or a query the client gave up on.
const GONE_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND',
  'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR', 'PROTOCOL_ENQUEUE_AFTER_QUIT', 'POOL_CLOSED',
]);

/** True when the error leaves the connection unusable (it is destroyed, not pooled). */
export function isMysqlConnectionError(err: unknown): boolean {
  const e = err as { fatal?: unknown; errno?: unknown; code?: unknown } | null;
  if (typeof e !== 'object' || e === null) return true;
  if (e.fatal === true) return true;
  if (typeof e.errno === 'number' && GONE.has(e.errno)) return true;
  return typeof e.code === 'string' && GONE_CODES.has(e.code);
}

function unavailable(message: string, cause: unknown): HttpError {
  return new HttpError(503, message, { headers: RETRY_AFTER, cause });
}

/**
 * Maps MariaDB/MySQL errors of Lokstra's pools to safe HTTP errors, like `mapPgError`: bad values
 * → 400, duplicate keys → 409 CONFLICT, other integrity violations → 409, lock-wait and statement
 * timeouts, deadlocks, lost or refused connections and a busy pool → 503 with `Retry-After`. The
 * server's message (it quotes the values) and the SQL never reach the client.
 */
export function mapMysqlError(err: unknown): HttpError | undefined {
  if (typeof err !== 'object' || err === null || (err as Record<symbol, unknown>)[MYSQL_ERROR] !== true) return undefined;
  const { errno, code, sqlState } = err as { errno?: unknown; code?: unknown; sqlState?: unknown };
  if (typeof errno === 'number') {
    if (DUPLICATE.has(errno)) return new HttpError(409, 'Resource already exists', { code: 'CONFLICT', cause: err });
    if (INTEGRITY.has(errno)) return new HttpError(409, 'Request conflicts with existing data', { code: 'CONFLICT', cause: err });
    if (BAD_VALUE.has(errno) || (typeof sqlState === 'string' && sqlState.startsWith('22'))) return new HttpError(400, 'Invalid input value', { cause: err });
    if (TIMEOUT.has(errno)) return unavailable('Database query timed out, retry later', err);
    if (CONCURRENT.has(errno)) return unavailable('Concurrent update, retry later', err);
    if (GONE.has(errno)) return unavailable('Database unavailable, retry later', err);
  }
  if (code === 'LOKSTRA_POOL_TIMEOUT') return unavailable('Database is busy, retry later', err);
  if (code === 'PROTOCOL_SEQUENCE_TIMEOUT') return unavailable('Database query timed out, retry later', err);
  if (isMysqlConnectionError(err) && (typeof errno !== 'number' || GONE.has(errno))) return unavailable('Database unavailable, retry later', err);
  return undefined;
}

/** Quotes a MariaDB identifier (a database name) with backticks; rejects NUL and names over 64 characters. */
export function quoteMysqlIdent(name: string): string {
  if (typeof name !== 'string' || name.length === 0) throw new TypeError('schema name must be a non-empty string');
  if (name.includes('\0')) throw new TypeError('schema name must not contain NUL');
  if (name.length > 64) throw new TypeError('schema name must be at most 64 characters');
  return `\`${name.replace(/`/g, '``')}\``;
}

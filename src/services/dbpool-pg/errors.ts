import { HttpError } from '../../errors/http-error';

const DB_ERROR = Symbol.for('lokstra.db-error');
const RETRY_AFTER_SECONDS = 1;

/** Tags an error thrown by a Lokstra pool so the error mapper knows it came from the database. */
export function markDbError(err: unknown): unknown {
  if (typeof err === 'object' && err !== null && !Object.isFrozen(err)) {
    Object.defineProperty(err, DB_ERROR, { value: true, enumerable: false, configurable: true });
  }
  return err;
}

function sqlState(err: unknown): string | undefined {
  // pg's DatabaseError (of any installed copy; pg itself is loaded only by a pool): a 5-character
  // SQLSTATE and a severity.
  const e = err as { code?: unknown; severity?: unknown } | null;
  if (typeof e === 'object' && e !== null && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.severity === 'string') return e.code;
  return undefined;
}

// Messages and errno codes of pg / pg-pool / the socket when the server is gone, the connection
// broke, or no client could be had in time. Only trusted on errors our pools tagged.
const UNAVAILABLE_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
];
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** True when the error means the connection is unusable (the client must be destroyed, not reused). */
export function isConnectionError(err: unknown): boolean {
  const state = sqlState(err);
  if (state !== undefined) {
    const severity = (err as { severity?: string }).severity;
    return severity === 'FATAL' || severity === 'PANIC' || state.startsWith('08') || state.startsWith('57P');
  }
  return true;
}

function unavailable(message: string, cause: unknown): HttpError {
  return new HttpError(503, message, { headers: { 'retry-after': String(RETRY_AFTER_SECONDS) }, cause });
}

/**
 * Maps PostgreSQL errors to safe HTTP errors (SPEC §5.3): invalid input (SQLSTATE class 22) → 400,
 * integrity violations (class 23; 23505 unique) → 409 CONFLICT, timeouts, lost connections, a
 * busy pool or an unreachable server → 503 with `Retry-After`. pg's `detail`, `hint` and the SQL
 * never reach the client. Anything else is not mapped (→ generic 500, logged).
 */
export function mapPgError(err: unknown): HttpError | undefined {
  const state = sqlState(err);
  if (state !== undefined) return mapSqlState(state, err);
  if (typeof err !== 'object' || err === null || (err as Record<symbol, unknown>)[DB_ERROR] !== true) return undefined;
  const { message, code } = err as { message?: unknown; code?: unknown };
  if (typeof message === 'string' && message.startsWith('timeout exceeded when trying to connect')) return unavailable('Database is busy, retry later', err);
  if ((typeof code === 'string' && UNAVAILABLE_ERRNO.has(code))
    || (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => message.startsWith(m)))) {
    return unavailable('Database unavailable, retry later', err);
  }
  return undefined;
}

function mapSqlState(state: string, err: unknown): HttpError | undefined {
  if (state.startsWith('22')) return new HttpError(400, 'Invalid input value', { cause: err });
  if (state === '23505') return new HttpError(409, 'Resource already exists', { code: 'CONFLICT', cause: err });
  if (state.startsWith('23')) return new HttpError(409, 'Request conflicts with existing data', { code: 'CONFLICT', cause: err });
  if (state === '57014') return unavailable('Database query timed out, retry later', err);
  if (state === '40001' || state === '40P01') return unavailable('Concurrent update, retry later', err);
  if (state.startsWith('08') || state.startsWith('57P') || state.startsWith('53')) return unavailable('Database unavailable, retry later', err);
  return undefined;
}

const MAX_IDENTIFIER_BYTES = 63;

/**
 * Quotes an SQL identifier (a schema name): doubles `"`, rejects NUL and names PostgreSQL would
 * truncate (over 63 bytes — two long tenant names must not land in the same schema).
 */
export function quoteIdent(name: string): string {
  if (typeof name !== 'string' || name.length === 0) throw new TypeError('schema name must be a non-empty string');
  if (name.includes('\0')) throw new TypeError('schema name must not contain NUL');
  if (Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES) throw new TypeError(`schema name must be at most ${MAX_IDENTIFIER_BYTES} bytes`);
  return `"${name.replace(/"/g, '""')}"`;
}

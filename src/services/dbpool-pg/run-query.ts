import type { PoolClient, QueryConfig, QueryResult, QueryResultRow } from 'pg';
import { HttpError } from '../../errors/http-error';
import { optional } from '../../internal/optional';

/** How long a cancel request may take before it is given up (the query then ends at `statement_timeout`). */
const CANCEL_TIMEOUT_MS = 5000;

// What pg's Client keeps about its backend (public fields, untyped in @types/pg).
interface BackendClient {
  host: string;
  port: number;
  ssl: unknown;
  processID: number | null;
  secretKey: number | null;
}

/** The error of a query whose signal was aborted before it could start (503, like a cancelled one). */
export function abortedQueryError(signal: AbortSignal): HttpError {
  return new HttpError(503, 'Database query cancelled', { headers: { 'retry-after': '1' }, cause: signal.reason });
}

/**
 * Sends PostgreSQL's CancelRequest for the query running on `client` (the protocol's own
 * mechanism: a short second connection carrying the backend's pid and secret key — no pool slot,
 * no authentication). Resolves when the server has taken it (it closes that connection), on error,
 * or after {@link CANCEL_TIMEOUT_MS}; never rejects.
 */
export function sendCancel(client: PoolClient): Promise<void> {
  const backend = client as unknown as BackendClient;
  if (backend.processID === null || backend.secretKey === null) return Promise.resolve();
  const con = new (optional.pg().Connection)({ ssl: backend.ssl } as never) as unknown as {
    stream: { destroy(): void };
    connect(port: number | string, host?: string): void;
    cancel(pid: number, key: number): void;
    on(event: string, fn: () => void): void;
    once(event: string, fn: () => void): void;
  };
  return new Promise((resolve) => {
    const timer = setTimeout(() => con.stream.destroy(), CANCEL_TIMEOUT_MS);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    con.on('error', () => con.stream.destroy());
    con.on('end', done);
    con.once(backend.ssl ? 'sslconnect' : 'connect', () => con.cancel(backend.processID as number, backend.secretKey as number));
    if (backend.host?.startsWith('/')) con.connect(`${backend.host}/.s.PGSQL.${backend.port}`);
    else con.connect(backend.port, backend.host);
  });
}

/**
 * The query config of one statement: always pg's **extended protocol** (Parse/Bind/Execute), even
 * without parameters, so a single call runs a single statement — `SELECT 1; DROP TABLE users`
 * is refused by PostgreSQL ("cannot insert multiple commands into a prepared statement") instead
 * of running both, as the simple protocol pg uses for parameterless queries would.
 */
export function statement(sql: string, params: readonly unknown[] | undefined): QueryConfig {
  return { text: sql, values: params === undefined ? [] : [...params], queryMode: 'extended' } as QueryConfig;
}

/**
 * Runs one query on a client that is exclusively ours; when `signal` aborts meanwhile, the query
 * is cancelled on the server (it fails with `57014`, the client stays usable) and this waits for
 * the cancel request to be taken before returning, so a late cancel can never hit the client's
 * next query. Without a signal it is a plain `client.query`.
 */
export async function cancellableQuery<R extends QueryResultRow>(client: PoolClient, config: QueryConfig, signal: AbortSignal | undefined): Promise<QueryResult<R>> {
  if (signal === undefined) return client.query<R>(config);
  if (signal.aborted) throw abortedQueryError(signal);
  let cancelling: Promise<void> | undefined;
  const onAbort = (): void => {
    cancelling = sendCancel(client);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await client.query<R>(config);
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (cancelling !== undefined) await cancelling;
  }
}

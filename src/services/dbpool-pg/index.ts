import type { PoolConfig } from 'pg';
import { redactDsn } from '../../internal/secrets';
import type { ServiceFactoryContext } from '../../metadata/types';
import { serviceConfig, type ConfigReader } from '../internal/config-reader';
import { serviceRef } from '../internal/service-ref';
import { createLogger, isLogger, type Logger } from '../logger';
import { quoteIdent } from './errors';
import { PgPool } from './pool';

/** Config keys of `lokstra.dbpool_pg` (kept equal to the schema's by a test). */
export const PG_CONFIG_KEYS = [
  'dsn', 'host', 'port', 'database', 'username', 'password', 'min_connections', 'max_connections',
  'idle_timeout', 'connection_timeout', 'statement_timeout', 'schema', 'application_name', 'logger',
] as const;

/** Defaults of `lokstra.dbpool_pg` (ms where a duration). */
export const PG_DEFAULTS = {
  max_connections: 10,
  min_connections: 0,
  idle_timeout: 10_000,
  connection_timeout: 5_000,
  statement_timeout: 30_000,
} as const;

// Client-side deadline beyond statement_timeout: a server that stopped answering (blackholed
// network) still fails the query, a little after the server-side timeout would have.
const QUERY_TIMEOUT_GRACE_MS = 1_000;

// Startup `options` are split on spaces by PostgreSQL; backslash-escape them (and backslashes).
function startupSearchPath(schema: string): string {
  return `-c search_path=${quoteIdent(schema).replace(/\\/g, '\\\\').replace(/ /g, '\\ ')}`;
}

function connection(c: ConfigReader): { pg: PoolConfig; target: string } {
  const dsn = c.string('dsn');
  const fields = ['host', 'port', 'database', 'username', 'password'].filter((k) => c.has(k));
  if (dsn !== undefined) {
    if (fields.length > 0) c.fail(fields[0] as string, 'give either dsn or host/port/database/username/password, not both');
    if (!/^postgres(ql)?:\/\//.test(dsn)) c.fail('dsn', `expected a postgres:// URL, got ${JSON.stringify(redactDsn(dsn))}`);
    return { pg: { connectionString: dsn }, target: redactDsn(dsn) };
  }
  const host = c.string('host', '127.0.0.1');
  const port = c.int('port', 5432, 1);
  const database = c.string('database');
  const user = c.string('username');
  const password = c.string('password');
  const pg: PoolConfig = { host, port };
  if (database !== undefined) pg.database = database;
  if (user !== undefined) pg.user = user;
  if (password !== undefined) pg.password = password;
  return { pg, target: `postgres://${user ? `${user}@` : ''}${host}:${port}/${database ?? ''}` };
}

/**
 * The `lokstra.dbpool_pg` factory. Safe defaults: `connection_timeout` 5s (also the wait for a
 * free client), `statement_timeout` 30s, keep-alive on, the pool's `error` event always handled.
 */
export function pgPoolFactory(config: Record<string, unknown>, ctx: ServiceFactoryContext): PgPool {
  const c = serviceConfig(ctx.name, config, PG_CONFIG_KEYS);
  const { pg, target } = connection(c);
  const max = c.int('max_connections', PG_DEFAULTS.max_connections, 1);
  const min = c.int('min_connections', PG_DEFAULTS.min_connections, 0);
  if (min > max) c.fail('min_connections', `must not exceed max_connections (${max})`);
  const statementTimeout = c.duration('statement_timeout', PG_DEFAULTS.statement_timeout);
  const schema = c.string('schema');
  if (schema !== undefined) {
    try {
      quoteIdent(schema);
    } catch (err) {
      c.fail('schema', (err as Error).message);
    }
  }
  Object.assign(pg, {
    max, min,
    idleTimeoutMillis: c.duration('idle_timeout', PG_DEFAULTS.idle_timeout),
    connectionTimeoutMillis: c.duration('connection_timeout', PG_DEFAULTS.connection_timeout),
    keepAlive: true,
    application_name: c.string('application_name', `lokstra:${ctx.name}`),
  } satisfies PoolConfig);
  if (statementTimeout > 0) {
    pg.statement_timeout = statementTimeout;
    pg.query_timeout = statementTimeout + QUERY_TIMEOUT_GRACE_MS;
  }
  if (schema !== undefined) pg.options = startupSearchPath(schema);
  const loggerName = c.string('logger');
  const logger = loggerName === undefined ? createLogger() : serviceRef<Logger>(ctx, 'logger', loggerName, isLogger, 'a logger');
  return new PgPool({ name: ctx.name, pg, schema, logger, target });
}

export { PgPool, type PgPoolOptions } from './pool';
export { mapPgError, quoteIdent } from './errors';
export type { AnyDbPool, DbDialect, DbPool, DbExecutor, DbConnection, DbTx, DbPoolStats, SqlParams, TransactionOptions } from './types';

import type { PoolOptions } from 'mysql2/promise';
import { redactDsn } from '../../internal/secrets';
import type { ServiceFactoryContext } from '../../metadata/types';
import { serviceConfig, type ConfigReader } from '../../services/internal/config-reader';
import { serviceRef } from '../../services/internal/service-ref';
import { createLogger, isLogger, type Logger } from '../../services/logger';
import { MysqlPool } from './pool';

/** Config keys of `lokstra.dbpool_mysql` (kept equal to the schema's by a test). */
export const MYSQL_CONFIG_KEYS = [
  'dsn', 'host', 'port', 'database', 'username', 'password', 'min_connections', 'max_connections',
  'idle_timeout', 'connection_timeout', 'statement_timeout', 'charset', 'timezone', 'logger',
] as const;

/** Defaults of `lokstra.dbpool_mysql` (ms where a duration). */
export const MYSQL_DEFAULTS = {
  max_connections: 10,
  min_connections: 0,
  idle_timeout: 10_000,
  connection_timeout: 5_000,
  statement_timeout: 30_000,
  charset: 'utf8mb4_unicode_ci',
  timezone: 'Z',
} as const;

function connection(c: ConfigReader): { mysql: PoolOptions; target: string } {
  const dsn = c.string('dsn');
  const fields = ['host', 'port', 'database', 'username', 'password'].filter((k) => c.has(k));
  if (dsn !== undefined) {
    if (fields.length > 0) c.fail(fields[0] as string, 'give either dsn or host/port/database/username/password, not both');
    if (!/^(mysql|mariadb):\/\//.test(dsn)) c.fail('dsn', `expected a mysql:// or mariadb:// URL, got ${JSON.stringify(redactDsn(dsn))}`);
    return { mysql: { uri: dsn.replace(/^mariadb:/, 'mysql:') }, target: redactDsn(dsn) };
  }
  const host = c.string('host', '127.0.0.1');
  const port = c.int('port', 3306, 1);
  const database = c.string('database');
  const user = c.string('username');
  const password = c.string('password');
  const mysql: PoolOptions = { host, port };
  if (database !== undefined) mysql.database = database;
  if (user !== undefined) mysql.user = user;
  if (password !== undefined) mysql.password = password;
  return { mysql, target: `mysql://${user ? `${user}@` : ''}${host}:${port}/${database ?? ''}` };
}

/**
 * The `lokstra.dbpool_mysql` factory (mysql2; MariaDB or MySQL). Safe defaults like the pg pool:
 * `connection_timeout` 5s (also the wait for a free connection), `statement_timeout` 30s, keep-alive
 * on, one statement per call (`multipleStatements` off), dates in UTC.
 */
export function mysqlPoolFactory(config: Record<string, unknown>, ctx: ServiceFactoryContext): MysqlPool {
  const c = serviceConfig(ctx.name, config, MYSQL_CONFIG_KEYS);
  const { mysql, target } = connection(c);
  const max = c.int('max_connections', MYSQL_DEFAULTS.max_connections, 1);
  const min = c.int('min_connections', MYSQL_DEFAULTS.min_connections, 0);
  if (min > max) c.fail('min_connections', `must not exceed max_connections (${max})`);
  const connectTimeout = c.duration('connection_timeout', MYSQL_DEFAULTS.connection_timeout);
  Object.assign(mysql, {
    connectionLimit: max,
    maxIdle: Math.max(min, 1),
    idleTimeout: c.duration('idle_timeout', MYSQL_DEFAULTS.idle_timeout),
    connectTimeout,
    enableKeepAlive: true,
    multipleStatements: false,
    charset: c.string('charset', MYSQL_DEFAULTS.charset),
    timezone: c.string('timezone', MYSQL_DEFAULTS.timezone),
    supportBigNumbers: true,
    decimalNumbers: false,
  } satisfies PoolOptions);
  const loggerName = c.string('logger');
  const logger = loggerName === undefined ? createLogger() : serviceRef<Logger>(ctx, 'logger', loggerName, isLogger, 'a logger');
  return new MysqlPool({
    name: ctx.name, mysql, target, logger, acquireTimeout: connectTimeout, minConnections: min,
    statementTimeout: c.duration('statement_timeout', MYSQL_DEFAULTS.statement_timeout),
  });
}

export { MysqlPool, type MysqlPoolOptions, type MysqlDbPool } from './pool';
export { mapMysqlError } from './errors';

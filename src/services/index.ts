import type { Registry } from '../container/registry';
import { mysqlPoolFactory } from '../db/mysql/index';
import { sqlitePoolFactory } from '../db/sqlite/index';
import { storageFactory } from '../storage/index';
import { pgPoolFactory } from './dbpool-pg/index';
import { healthCheckFactory } from './health/index';
import { memoryKvFactory, redisKvFactory } from './kvstore/index';
import { loggerFactory } from './logger';
import { metricsFactory } from './metrics/index';
import { redisFactory } from './redis/index';

/** The built-in service types; the Go bare names (`dbpool_pg`…) resolve to these. */
export const BUILTIN_SERVICE_TYPES = [
  'lokstra.logger', 'lokstra.dbpool_pg', 'lokstra.dbpool_mysql', 'lokstra.dbpool_sqlite', 'lokstra.redis', 'lokstra.kvstore_mem', 'lokstra.kvstore_redis', 'lokstra.metrics', 'lokstra.health_check', 'lokstra.storage',
] as const;

/** Registers the built-in service factories (`lokstra.*` types) on a registry. */
export function registerBuiltinServices(registry: Registry): void {
  registry
    .serviceFactory('lokstra.logger', loggerFactory)
    .serviceFactory('lokstra.dbpool_pg', pgPoolFactory)
    .serviceFactory('lokstra.dbpool_mysql', mysqlPoolFactory)
    .serviceFactory('lokstra.dbpool_sqlite', sqlitePoolFactory)
    .serviceFactory('lokstra.redis', redisFactory)
    .serviceFactory('lokstra.kvstore_mem', memoryKvFactory)
    .serviceFactory('lokstra.kvstore_redis', redisKvFactory)
    .serviceFactory('lokstra.metrics', metricsFactory)
    .serviceFactory('lokstra.health_check', healthCheckFactory)
    .serviceFactory('lokstra.storage', storageFactory);
}

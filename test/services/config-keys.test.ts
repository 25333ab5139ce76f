import schema from '../../src/config/lokstra.schema.json';
import { Lokstra } from '../../src/index';
import { MYSQL_CONFIG_KEYS } from '../../src/db/mysql/index';
import { SQLITE_CONFIG_KEYS } from '../../src/db/sqlite/index';
import { STORAGE_CONFIG_KEYS } from '../../src/storage/index';
import { PG_CONFIG_KEYS } from '../../src/services/dbpool-pg/index';
import { HEALTH_CHECK_KEYS, HEALTH_CONFIG_KEYS, HEALTH_MOUNT_KEYS } from '../../src/services/health/index';
import { BUILTIN_SERVICE_TYPES } from '../../src/services/index';
import { KV_MEM_CONFIG_KEYS, KV_REDIS_CONFIG_KEYS } from '../../src/services/kvstore/index';
import { LOGGER_CONFIG_KEYS } from '../../src/services/logger';
import { METRICS_CONFIG_KEYS } from '../../src/services/metrics/index';
import { REDIS_CONFIG_KEYS } from '../../src/services/redis/index';

interface Props { properties: Record<string, Props & { items?: Props }> }
interface Cond { if: { properties: { type: { enum: string[] } } }; then: { properties: { config: Props } } }

const conds = (schema as unknown as { $defs: { service: { allOf: Cond[] } } }).$defs.service.allOf;
const configOf = (type: string): Props => {
  const cond = conds.find((c) => c.if.properties.type.enum.includes(type));
  if (!cond) throw new Error(`no schema entry for ${type}`);
  return cond.then.properties.config;
};
const keys = (p: Props | undefined): string[] => Object.keys(p?.properties ?? {}).sort();

describe('built-in service config: factories and lokstra.schema.json agree', () => {
  it.each([
    ['lokstra.logger', LOGGER_CONFIG_KEYS],
    ['lokstra.dbpool_pg', PG_CONFIG_KEYS],
    ['lokstra.dbpool_mysql', MYSQL_CONFIG_KEYS],
    ['lokstra.dbpool_sqlite', SQLITE_CONFIG_KEYS],
    ['lokstra.storage', STORAGE_CONFIG_KEYS],
    ['lokstra.redis', REDIS_CONFIG_KEYS],
    ['lokstra.kvstore_mem', KV_MEM_CONFIG_KEYS],
    ['lokstra.kvstore_redis', KV_REDIS_CONFIG_KEYS],
    ['lokstra.metrics', METRICS_CONFIG_KEYS],
    ['lokstra.health_check', HEALTH_CONFIG_KEYS],
  ] as const)('%s reads exactly the keys the schema declares', (type, known) => {
    expect(keys(configOf(type))).toEqual([...known].sort());
    expect(configOf(type.replace('lokstra.', ''))).toBe(configOf(type));
  });

  it('lokstra.health_check mount and checks[] entries too', () => {
    const health = configOf('lokstra.health_check');
    expect(keys(health.properties.mount)).toEqual([...HEALTH_MOUNT_KEYS].sort());
    expect(keys(health.properties.checks?.items)).toEqual([...HEALTH_CHECK_KEYS].sort());
  });

  it('registers a factory for every built-in type, reachable by its Go bare name too', () => {
    const registered = [...new Lokstra().registry.serviceFactories.keys()];
    expect(registered).toEqual(expect.arrayContaining([...BUILTIN_SERVICE_TYPES]));
    expect(conds.map((c) => c.if.properties.type.enum[0]).sort()).toEqual([...BUILTIN_SERVICE_TYPES].sort());
  });
});

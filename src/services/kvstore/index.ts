import type { ServiceFactoryContext } from '../../metadata/types';
import { serviceConfig } from '../internal/config-reader';
import { serviceRef } from '../internal/service-ref';
import { isRedisService, type RedisService } from '../redis/index';
import { MemoryKvStore } from './memory';
import { RedisKvStore } from './redis';

/** Config keys of `lokstra.kvstore_mem` and `lokstra.kvstore_redis` (kept equal to the schema's by a test). */
export const KV_MEM_CONFIG_KEYS = ['max_entries', 'default_ttl'] as const;
export const KV_REDIS_CONFIG_KEYS = ['redis', 'prefix', 'default_ttl'] as const;

/** The `lokstra.kvstore_mem` factory: `max_entries` (LRU bound, default 10,000), `default_ttl`. */
export function memoryKvFactory(config: Record<string, unknown>, ctx: ServiceFactoryContext): MemoryKvStore {
  const c = serviceConfig(ctx.name, config, KV_MEM_CONFIG_KEYS);
  return new MemoryKvStore({ maxEntries: c.int('max_entries', 10_000, 1), defaultTtl: c.duration('default_ttl', 0) });
}

/** The `lokstra.kvstore_redis` factory: `redis` (a `lokstra.redis` service, default `redis`), `prefix`, `default_ttl`. */
export function redisKvFactory(config: Record<string, unknown>, ctx: ServiceFactoryContext): RedisKvStore {
  const c = serviceConfig(ctx.name, config, KV_REDIS_CONFIG_KEYS);
  const redis = serviceRef<RedisService>(ctx, 'redis', c.string('redis', 'redis'), isRedisService, 'a lokstra.redis service');
  const prefix = c.string('prefix');
  return new RedisKvStore(redis.client, { defaultTtl: c.duration('default_ttl', 0), ...(prefix === undefined ? {} : { prefix }) });
}

export { MemoryKvStore, type MemoryKvStoreOptions } from './memory';
export { RedisKvStore, type RedisKvStoreOptions } from './redis';
export type { KvStore, Ttl } from './types';

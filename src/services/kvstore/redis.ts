import type { Redis } from 'ioredis';
import { markRedisError } from '../redis/index';
import { checkKey, encode, escapeGlob, ttlMs } from './codec';
import type { KvStore, Ttl } from './types';

/** Options of {@link RedisKvStore}. */
export interface RedisKvStoreOptions {
  /** Prepended to every key (and stripped from `keys()` results). */
  prefix?: string;
  /** TTL in ms when `set` gives none (default 0 = no expiry). */
  defaultTtl?: number;
}

const SCAN_COUNT = 250;

async function call<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    throw markRedisError(err);
  }
}

/**
 * A {@link KvStore} on Redis: JSON text values, TTL with `PX`, `keys()` by `SCAN` (never `KEYS`,
 * which blocks the server). Calls fail as fast as the Redis service's `command_timeout`.
 */
export class RedisKvStore implements KvStore {
  private readonly client: Redis;
  private readonly prefix: string;
  private readonly defaultTtl: number;

  constructor(client: Redis, options: RedisKvStoreOptions = {}) {
    this.client = client;
    this.prefix = options.prefix ?? '';
    this.defaultTtl = options.defaultTtl ?? 0;
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    checkKey(key);
    const raw = await call(this.client.get(this.prefix + key));
    if (raw === null) return undefined;
    try {
      return JSON.parse(raw) as T;
    } catch {
      throw new TypeError(`the value of '${key}' is not JSON (written by something else than a KvStore?)`);
    }
  }

  async set(key: string, value: unknown, ttl?: Ttl): Promise<void> {
    checkKey(key);
    const json = encode(key, value);
    const ms = ttlMs(ttl, this.defaultTtl);
    if (ms === 0) await call(this.client.set(this.prefix + key, json));
    else await call(this.client.set(this.prefix + key, json, 'PX', ms));
  }

  async delete(...keys: string[]): Promise<number> {
    if (keys.length === 0) return 0;
    keys.forEach(checkKey);
    return call(this.client.del(...keys.map((k) => this.prefix + k)));
  }

  async keys(pattern = '*'): Promise<string[]> {
    const match = escapeGlob(this.prefix) + pattern;
    const found = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = await call(this.client.scan(cursor, 'MATCH', match, 'COUNT', SCAN_COUNT));
      // SCAN may return a key more than once.
      for (const k of batch) found.add(k.slice(this.prefix.length));
      cursor = next;
    } while (cursor !== '0');
    return [...found];
  }

  async has(key: string): Promise<boolean> {
    checkKey(key);
    return (await call(this.client.exists(this.prefix + key))) > 0;
  }
}

/** A time-to-live: milliseconds, or a duration string (`'500ms'`, `'30s'`, `'5m'`); `0` = never expires. */
export type Ttl = number | string;

/**
 * A key-value store with JSON values and per-key TTL: `lokstra.kvstore_mem` (in process, LRU-bounded)
 * and `lokstra.kvstore_redis` (shared, on a `lokstra.redis` service) behave the same.
 * @example
 * constructor(@Inject('cache') private readonly cache: KvStore) {}
 * await this.cache.set(`order:${id}`, order, '30s');
 * const hit = await this.cache.get<Order>(`order:${id}`);
 */
export interface KvStore {
  /** The value, or `undefined` when missing or expired. */
  get<T = unknown>(key: string): Promise<T | undefined>;
  /** Stores a JSON-serialisable value; `ttl` defaults to the store's `default_ttl` (none unless set). */
  set(key: string, value: unknown, ttl?: Ttl): Promise<void>;
  /** Deletes keys; resolves with how many existed. */
  delete(...keys: string[]): Promise<number>;
  /** Keys matching a Redis-style glob (`*`, `?`, `[abc]`, `\` escapes); default every key. Order is not defined. */
  keys(pattern?: string): Promise<string[]>;
  /** True when the key exists and has not expired. */
  has(key: string): Promise<boolean>;
}

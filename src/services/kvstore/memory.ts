import { checkKey, encode, globToRegExp, ttlMs } from './codec';
import type { KvStore, Ttl } from './types';

/** Options of {@link MemoryKvStore}. */
export interface MemoryKvStoreOptions {
  /** LRU bound: past it, the least recently used key is evicted (default 10,000). */
  maxEntries?: number;
  /** TTL in ms when `set` gives none (default 0 = no expiry). */
  defaultTtl?: number;
  /** Clock, for tests. */
  now?: () => number;
}

interface Entry {
  json: string;
  /** Epoch ms, or 0 for no expiry. */
  expires: number;
}

/**
 * An in-process {@link KvStore}: values kept as JSON text (so a stored object is a copy, as in
 * Redis), expired lazily on access, bounded by LRU eviction.
 */
export class MemoryKvStore implements KvStore {
  private readonly map = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly defaultTtl: number;
  private readonly now: () => number;

  constructor(options: MemoryKvStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.defaultTtl = options.defaultTtl ?? 0;
    this.now = options.now ?? Date.now;
  }

  /** Live entries (expired ones may still count until touched). */
  get size(): number {
    return this.map.size;
  }

  private live(key: string): Entry | undefined {
    const entry = this.map.get(key);
    if (entry === undefined) return undefined;
    if (entry.expires !== 0 && entry.expires <= this.now()) {
      this.map.delete(key);
      return undefined;
    }
    return entry;
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    checkKey(key);
    const entry = this.live(key);
    if (entry === undefined) return undefined;
    // Map order is the LRU order: re-inserting marks the key most recently used.
    this.map.delete(key);
    this.map.set(key, entry);
    return JSON.parse(entry.json) as T;
  }

  async set(key: string, value: unknown, ttl?: Ttl): Promise<void> {
    checkKey(key);
    const json = encode(key, value);
    const ms = ttlMs(ttl, this.defaultTtl);
    this.map.delete(key);
    this.map.set(key, { json, expires: ms === 0 ? 0 : this.now() + ms });
    while (this.map.size > this.maxEntries) {
      const oldest = this.map.keys().next().value as string;
      this.map.delete(oldest);
    }
  }

  async delete(...keys: string[]): Promise<number> {
    keys.forEach(checkKey);
    let n = 0;
    for (const key of keys) {
      if (this.live(key) !== undefined) n++;
      this.map.delete(key);
    }
    return n;
  }

  async keys(pattern = '*'): Promise<string[]> {
    const re = globToRegExp(pattern);
    return [...this.map.keys()].filter((k) => re.test(k) && this.live(k) !== undefined);
  }

  async has(key: string): Promise<boolean> {
    checkKey(key);
    return this.live(key) !== undefined;
  }

  onStop(): void {
    this.map.clear();
  }
}

import { createHash, randomBytes } from 'node:crypto';
import { MemoryKvStore } from '../services/kvstore/memory';
import type { KvStore } from '../services/kvstore/types';

/** One cached response (JSON in the KV store). */
export interface CachedResponse {
  status: number;
  headers: Record<string, string>;
  /** Body, base64. */
  body: string;
  etag: string;
  /** Epoch ms when stored. */
  stored: number;
}

// `store: memory` of every attachment (and `cache.invalidate` without a store) share one process-wide store.
let shared: MemoryKvStore | undefined;

/** The process-wide memory store of the `cache` middleware. */
export function memoryCacheStore(): MemoryKvStore {
  shared ??= new MemoryKvStore({ maxEntries: 10_000 });
  return shared;
}

const TAG_PREFIX = 'lokstra:cache:tag:';

/** The current version of each tag (a missing one is created, so a later invalidation changes it). */
export async function tagVersions(store: KvStore, tags: readonly string[]): Promise<string> {
  if (tags.length === 0) return '';
  const versions = await Promise.all(tags.map(async (tag) => {
    const v = await store.get<string>(TAG_PREFIX + tag);
    if (typeof v === 'string') return v;
    const fresh = '0';
    await store.set(TAG_PREFIX + tag, fresh);
    return fresh;
  }));
  return versions.join(',');
}

/**
 * The response cache API. `invalidate(tag)` drops every response cached with that tag at once (on
 * every instance sharing the store): entries are keyed by the tags' versions, and this changes the version.
 * @example
 * await cache.invalidate('users');                              // store: memory
 * await cache.invalidate('users', ctx.container.get('cache'));  // a lokstra.kvstore_redis service
 */
export const cache = {
  async invalidate(tag: string, store: KvStore = memoryCacheStore()): Promise<void> {
    await store.set(TAG_PREFIX + tag, randomBytes(8).toString('hex'));
  },
};

/** A strong ETag of a body. */
export function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** The store key of a request: app, path and query, the `vary` headers, the caller when private, the tags' versions. */
export function cacheKey(parts: readonly string[]): string {
  return `lokstra:cache:${createHash('sha256').update(parts.join('\u0000')).digest('base64url')}`;
}

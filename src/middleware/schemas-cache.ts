const duration = { oneOf: [{ type: 'string', pattern: '^\\d+(\\.\\d+)?\\s*(ms|s|m|h)?$' }, { type: 'number', minimum: 0 }] };
const names = { type: 'array', items: { type: 'string', minLength: 1 } };

/** Config schema of the `cache` middleware (lokstra.schema.json carries the same under `middleware[name=cache]`). */
export const CACHE_CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ttl: { ...duration, description: 'How long a response is served from the cache (and max-age). Default 60s.' },
    store: { type: 'string', minLength: 1, description: 'memory (one per process), or the name of a lokstra.kvstore_* service (Redis: shared by instances). Default memory.' },
    vary: { ...names, items: { type: 'string', pattern: '^[A-Za-z0-9-]+$' }, description: 'Request headers that select a variant (part of the key and of the Vary header). Default none.' },
    tags: { ...names, description: 'Tags of the cached responses, for cache.invalidate(tag). Default none.' },
    private: { type: 'boolean', description: 'Cache responses to authenticated requests too, per caller (ctx.auth.subject), sent with Cache-Control: private. Default false.' },
    store_timeout: { ...duration, description: 'Longest wait for the store; past it the request is served uncached. Default 250ms.' },
  },
} as const;

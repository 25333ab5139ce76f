import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseDuration } from '../config/units';
import { LokstraError } from '../errors/lokstra-error';
import { HttpError } from '../errors/http-error';
import { optional } from '../internal/optional';
import type { FastifyMiddleware, MiddlewareEnv } from '../middleware/types';
import { parseRateKey, requestBucket } from './client-key';

/** The callback-style store @fastify/rate-limit drives (its LocalStore and RedisStore). */
interface RateStore {
  incr(key: string, cb: (err: Error | null, res?: { current: number; ttl: number }) => void, timeWindow: number, max: number): void;
  child(params: Record<PropertyKey, unknown>): RateStore;
}

type RateHandler = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;

// Carries an attachment's own store through the plugin's option merging into `child()`.
const STORE = Symbol('lokstra.rateLimitStore');

/** The plugin-level store: each attachment brings its own (memory or Redis), handed over here. */
class AttachmentStores {
  child(params: Record<PropertyKey, unknown>): RateStore {
    return params[STORE] as RateStore;
  }
}

/**
 * Bounds every store call: a Redis that is gone (or a proxy that swallows the bytes) answers with
 * an error within `timeoutMs` instead of the request waiting on ioredis' reconnect queue.
 */
class BoundedStore implements RateStore {
  constructor(private readonly inner: RateStore, private readonly timeoutMs: number) {}

  incr(key: string, cb: Parameters<RateStore['incr']>[1], timeWindow: number, max: number): void {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      cb(new Error(`rate limit store did not answer within ${this.timeoutMs} ms`));
    }, this.timeoutMs);
    try {
      this.inner.incr(key, (err, res) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        cb(err, res);
      }, timeWindow, max);
    } catch (err) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      cb(err as Error);
    }
  }

  child(): RateStore {
    return this;
  }
}

function invalid(detail: string): LokstraError {
  return new LokstraError('LKS_ERR_MIDDLEWARE_INVALID', { name: 'rate_limit', detail });
}

function storeFor(config: Record<string, unknown>, env: MiddlewareEnv, namespace: string): RateStore {
  const { LocalStore, RedisStore } = optional.rateLimitStores();
  const name = typeof config.store === 'string' ? config.store : 'memory';
  if (name === 'memory') return new LocalStore(false, false, typeof config.cache_size === 'number' ? config.cache_size : 10_000) as RateStore;
  const service = env.container.get<{ client?: { defineCommand?: unknown } }>(name);
  if (typeof service?.client?.defineCommand !== 'function') throw invalid(`store '${name}' is not a lokstra.redis service (no ioredis client)`);
  return new RedisStore(false, false, service.client, `lokstra:rl:${namespace}:`) as RateStore;
}

function serviceUnavailable(): HttpError {
  return new HttpError(503, 'Rate limiting is temporarily unavailable', { code: 'SERVICE_UNAVAILABLE', headers: { 'retry-after': '5' } });
}

/**
 * `rate_limit`: @fastify/rate-limit with `max` requests per `window` per key (`ip`, `user`,
 * `api_key`, `header:<name>`), in memory or in a `lokstra.redis` service (instances sharing it share
 * one budget). Over budget → 429 `RATE_LIMITED` with `Retry-After` and `RateLimit-Limit/Remaining/Reset`.
 * A store that fails or does not answer within `store_timeout` → 503 (`fail_closed`, default) or
 * the request goes through (`fail_open`).
 */
export const rateLimit: FastifyMiddleware = {
  async setup(fastify) {
    if (!fastify.hasDecorator('rateLimit')) {
      await fastify.register(optional.fastifyRateLimit(), { global: false, enableDraftSpec: true, store: AttachmentStores as never });
    }
  },
  build(config, env) {
    const key = parseRateKey(config.key);
    if (key === undefined) throw invalid(`key must be ip, user, api_key or header:<name> (got ${JSON.stringify(config.key)})`);
    const max = typeof config.max === 'number' ? config.max : 100;
    const window = parseDuration(config.window ?? '1m') ?? 60_000;
    const failOpen = config.on_store_error === 'fail_open';
    const namespace = typeof config.namespace === 'string'
      ? config.namespace
      : createHash('sha256').update(JSON.stringify([config.key ?? 'ip', max, window])).digest('hex').slice(0, 12);
    const store = new BoundedStore(storeFor(config, env, namespace), parseDuration(config.store_timeout ?? '500ms') ?? 500);
    const options = {
      max, timeWindow: window, skipOnError: failOpen, [STORE]: store,
      keyGenerator: (req: FastifyRequest) => requestBucket(req, key),
      errorResponseBuilder: (_req: FastifyRequest, ctx: { ttl: number }) => new HttpError(429, 'Too many requests', {
        code: 'RATE_LIMITED', headers: { 'retry-after': String(Math.max(1, Math.ceil(ctx.ttl / 1000))) },
      }),
    };
    const handlers = new WeakMap<FastifyInstance, RateHandler>();
    const hook = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
      let handler = handlers.get(req.server);
      if (handler === undefined) {
        handler = (req.server as unknown as { rateLimit(o: unknown): RateHandler }).rateLimit(options);
        handlers.set(req.server, handler);
      }
      try {
        await handler(req, reply);
      } catch (err) {
        if (HttpError.is(err)) throw err;
        env.logger.error('rate_limit: store failed', { requestId: req.id, error: (err as Error).message });
        throw serviceUnavailable();
      }
    };
    // Counting by user or API key waits for authentication (onRequest hooks); by address it runs first.
    return { hooks: key.kind === 'user' || key.kind === 'api_key' ? { preHandler: hook } : { onRequest: hook } };
  },
};

import type { Redis, RedisOptions } from 'ioredis';
import { optional } from '../../internal/optional';
import { HttpError } from '../../errors/http-error';
import { redactDsn } from '../../internal/secrets';
import { HTTP_CONTRIBUTION, type HttpContribution, type ServiceFactoryContext } from '../../metadata/types';
import { HEALTH_CHECK, type HealthCheck, type HealthCheckResult } from '../health/types';
import { serviceConfig, type ConfigReader } from '../internal/config-reader';
import { serviceRef } from '../internal/service-ref';
import { withTimeout } from '../internal/timeout';
import { createLogger, isLogger, type Logger } from '../logger';

/**
 * A Redis connection (`lokstra.redis`), injected by its service name; `client` is the ioredis
 * instance for raw use. Commands fail within `command_timeout` when Redis is down or slow.
 * @example
 * constructor(@Inject('redis.main') private readonly redis: RedisService) {}
 * await this.redis.client.incr('visits');
 */
export interface RedisService {
  readonly name: string;
  readonly client: Redis;
  /** `PING`; rejects when Redis cannot answer within the command timeout. */
  ping(): Promise<void>;
  /** Sends QUIT (or drops the socket when not connected). Idempotent. */
  close(): Promise<void>;
}

/** Config keys of `lokstra.redis` (kept equal to the schema's by a test). */
export const REDIS_CONFIG_KEYS = [
  'url', 'host', 'port', 'db', 'username', 'password', 'command_timeout', 'connect_timeout',
  'max_retries_per_request', 'logger',
] as const;

/** Defaults of `lokstra.redis` (ms where a duration). ioredis' own would wait ~73 s on a dead server. */
export const REDIS_DEFAULTS = { command_timeout: 1_500, connect_timeout: 2_000, max_retries_per_request: 1 } as const;

const QUIT_BUDGET_MS = 1_000;
const MAX_RECONNECT_DELAY_MS = 2_000;
const REDIS_ERROR = Symbol.for('lokstra.redis-error');

/** Tags an error thrown by a Lokstra Redis-backed service so the error mapper maps it to 503. */
export function markRedisError(err: unknown): unknown {
  if (typeof err === 'object' && err !== null && !Object.isFrozen(err)) {
    Object.defineProperty(err, REDIS_ERROR, { value: true, enumerable: false, configurable: true });
  }
  return err;
}

/** Maps a Redis outage (timeouts, retries exhausted, connection closed) to 503 with `Retry-After`. */
export function mapRedisError(err: unknown): HttpError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const tagged = (err as Record<symbol, unknown>)[REDIS_ERROR] === true;
  if (!tagged && (err as { name?: unknown }).name !== 'MaxRetriesPerRequestError') return undefined;
  if ((err as { name?: unknown }).name === 'ReplyError') return undefined;
  return new HttpError(503, 'Cache unavailable, retry later', { headers: { 'retry-after': '1' }, cause: err });
}

class IoRedisService implements RedisService {
  readonly name: string;
  readonly client: Redis;
  private readonly logger: Logger;
  private readonly target: string;
  private down = false;
  private closed: Promise<void> | undefined;

  constructor(name: string, options: RedisOptions, url: string | undefined, logger: Logger, target: string) {
    this.name = name;
    this.logger = logger;
    this.target = target;
    const { Redis: Client } = optional.ioredis();
    this.client = url === undefined ? new Client(options) : new Client(url, options);
    // Without an 'error' listener ioredis prints every failed reconnect; log an outage once, and its end.
    this.client.on('error', (err: Error) => {
      if (this.down || this.closed !== undefined) return;
      this.down = true;
      this.logger.warn(`redis ${this.name}: connection failed (${err.message}); retrying`, { service: name, target, code: (err as { code?: string }).code });
    });
    this.client.on('ready', () => {
      if (!this.down) return;
      this.down = false;
      this.logger.info(`redis ${this.name}: connection restored`, { service: name, target });
    });
  }

  async ping(): Promise<void> {
    try {
      await this.client.ping();
    } catch (err) {
      throw markRedisError(err);
    }
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      const client = this.client;
      if (client.status === 'end') return;
      if (client.status === 'reconnecting') {
        // Between attempts there is no socket, so no 'end' will come: cancelling the retry timer is all.
        client.disconnect(false);
        return;
      }
      // QUIT resolves on the server's OK and the socket closes a moment later: wait for 'end' (bounded).
      const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
      if (client.status === 'ready') {
        await withTimeout(client.quit(), QUIT_BUDGET_MS, 'QUIT').catch(() => client.disconnect(false));
      } else {
        client.disconnect(false);
      }
      await withTimeout(ended, QUIT_BUDGET_MS, 'redis close').catch(() => undefined);
    })();
    return this.closed;
  }

  onStop(): Promise<void> {
    return this.close();
  }

  [HEALTH_CHECK](): HealthCheck {
    return {
      name: this.name,
      critical: true,
      check: async (): Promise<HealthCheckResult> => {
        const status = this.client.status;
        if (status !== 'ready') return { status: 'unhealthy', message: `not connected (${status})` };
        await this.ping();
        return { status: 'healthy' };
      },
    };
  }

  [HTTP_CONTRIBUTION](): HttpContribution {
    return { errorMappers: [mapRedisError] };
  }
}

function connection(c: ConfigReader): { url: string | undefined; options: RedisOptions; target: string } {
  const url = c.string('url');
  const fields = ['host', 'port', 'db', 'username', 'password'].filter((k) => c.has(k));
  if (url !== undefined) {
    if (fields.length > 0) c.fail(fields[0] as string, 'give either url or host/port/db/username/password, not both');
    if (!/^rediss?:\/\//.test(url)) c.fail('url', `expected a redis:// or rediss:// URL, got ${JSON.stringify(redactDsn(url))}`);
    return { url, options: {}, target: redactDsn(url) };
  }
  const options: RedisOptions = { host: c.string('host', '127.0.0.1'), port: c.int('port', 6379, 1), db: c.int('db', 0, 0) };
  const username = c.string('username');
  const password = c.string('password');
  if (username !== undefined) options.username = username;
  if (password !== undefined) options.password = password;
  return { url: undefined, options, target: `redis://${options.host}:${options.port}/${options.db}` };
}

/**
 * The `lokstra.redis` factory. Bounded by default: `command_timeout` 1.5s, `connect_timeout` 2s,
 * one retry per command, reconnects forever with backoff capped at 2s — a dead Redis fails calls
 * in about a second instead of a minute, and a Redis that comes back is used again without restart.
 * Boot does not wait for Redis (a cache being down must not stop the service from starting).
 */
export function redisFactory(config: Record<string, unknown>, ctx: ServiceFactoryContext): RedisService {
  const c = serviceConfig(ctx.name, config, REDIS_CONFIG_KEYS);
  const { url, options, target } = connection(c);
  Object.assign(options, {
    commandTimeout: c.duration('command_timeout', REDIS_DEFAULTS.command_timeout),
    connectTimeout: c.duration('connect_timeout', REDIS_DEFAULTS.connect_timeout),
    maxRetriesPerRequest: c.int('max_retries_per_request', REDIS_DEFAULTS.max_retries_per_request, 0),
    retryStrategy: (times: number) => Math.min(times * 100, MAX_RECONNECT_DELAY_MS),
    connectionName: `lokstra:${ctx.name}`,
  } satisfies RedisOptions);
  const loggerName = c.string('logger');
  const logger = loggerName === undefined ? createLogger() : serviceRef<Logger>(ctx, 'logger', loggerName, isLogger, 'a logger');
  return new IoRedisService(ctx.name, options, url, logger, target);
}

/** True for a {@link RedisService}. */
export function isRedisService(value: unknown): value is RedisService {
  const v = value as Partial<RedisService> | null;
  // Duck-typed: ioredis is loaded only when a Redis service is created.
  return typeof v === 'object' && v !== null && typeof (v.client as { sendCommand?: unknown } | undefined)?.sendCommand === 'function' && typeof v.ping === 'function';
}

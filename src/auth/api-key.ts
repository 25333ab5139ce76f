import * as crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { LokstraError } from '../errors/lokstra-error';
import { HttpError } from '../errors/http-error';
import type { FastifyMiddleware, MiddlewareEnv } from '../middleware/types';
import { authOf, isPublicRoute, setAuth, stringList } from './types';

/** One accepted key as configured: its id, `sha256:<hex>` of the key, and what it may do. */
export interface ApiKeyRecord {
  id: string;
  hash?: string;
  scopes?: string[];
  roles?: string[];
}

/**
 * A key store service (`store: <service name>`): `get('<prefix><sha256 hex>')` returns the key's
 * record (an object or its JSON), or nothing. A `lokstra.kvstore_*` service fits as it is.
 */
export interface ApiKeyStore {
  get(key: string): unknown;
}

const HASH = /^sha256:([0-9a-f]{64})$/i;

/**
 * The `hash` to configure for an API key: `sha256:<hex>`.
 * @example
 * apiKeyHash('lk_live_9f2c…') // 'sha256:5e88…'
 */
export function apiKeyHash(key: string): string {
  return `sha256:${crypto.createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

interface KeyEntry { digest: Buffer; record: ApiKeyRecord }

function invalid(detail: string): LokstraError {
  return new LokstraError('LKS_ERR_MIDDLEWARE_INVALID', { name: 'api_key', detail });
}

function compileKeys(value: unknown): KeyEntry[] {
  if (!Array.isArray(value)) return [];
  return value.map((raw, i) => {
    const rec = raw as ApiKeyRecord;
    const m = HASH.exec(String(rec.hash ?? ''));
    if (m === null) throw invalid(`keys[${i}].hash must be "sha256:<64 hex digits>" (never the key itself)`);
    return { digest: Buffer.from(m[1] as string, 'hex'), record: rec };
  });
}

/**
 * Finds the record whose digest equals `digest`, comparing with `crypto.timingSafeEqual` on
 * equal-length (32-byte) digests and always walking every key, so timing says nothing about which
 * key (if any) matched or how many bytes agreed.
 */
export function matchKey(digest: Buffer, keys: readonly KeyEntry[]): ApiKeyRecord | undefined {
  let found: ApiKeyRecord | undefined;
  for (const entry of keys) {
    if (crypto.timingSafeEqual(digest, entry.digest) && found === undefined) found = entry.record;
  }
  return found;
}

function recordOf(value: unknown): ApiKeyRecord | undefined {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v) as unknown;
    } catch {
      return undefined;
    }
  }
  return typeof v === 'object' && v !== null && typeof (v as ApiKeyRecord).id === 'string' ? (v as ApiKeyRecord) : undefined;
}

function firstString(value: unknown): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function unauthorized(): HttpError {
  return new HttpError(401, 'Unauthorized', { code: 'UNAUTHORIZED', headers: { 'www-authenticate': 'ApiKey' } });
}

interface ApiKeyRuntime {
  header: string;
  query: string | undefined;
  optional: boolean;
  lookup: (digest: Buffer) => Promise<ApiKeyRecord | undefined> | ApiKeyRecord | undefined;
}

function compile(config: Record<string, unknown>, env: MiddlewareEnv): ApiKeyRuntime {
  const keys = compileKeys(config.keys);
  const storeName = typeof config.store === 'string' ? config.store : undefined;
  if ((storeName === undefined) === (config.keys === undefined)) throw invalid('give exactly one of keys or store');
  let lookup: ApiKeyRuntime['lookup'] = (digest) => matchKey(digest, keys);
  if (storeName !== undefined) {
    const store = env.container.get<ApiKeyStore>(storeName);
    if (typeof store?.get !== 'function') throw invalid(`store '${storeName}' has no get(key) method`);
    const prefix = typeof config.store_prefix === 'string' ? config.store_prefix : 'api_key:';
    lookup = async (digest) => recordOf(await store.get(`${prefix}${digest.toString('hex')}`));
  }
  return {
    header: (typeof config.header === 'string' ? config.header : 'x-api-key').toLowerCase(),
    query: typeof config.query === 'string' ? config.query : undefined,
    optional: config.optional === true,
    lookup,
  };
}

/**
 * `api_key`: a key in `x-api-key` (or, when `query` names a parameter, in the query string), hashed
 * with SHA-256 and matched against `keys` (stored as hashes) or a `store` service. Sets `ctx.auth`
 * (`method: 'api_key'`, `subject` the key's id); a missing or unknown key is a 401 `UNAUTHORIZED`.
 */
export const apiKey: FastifyMiddleware = {
  build(config, env) {
    const rt = compile(config, env);
    const hook = async (req: FastifyRequest): Promise<void> => {
      const presented = firstString(req.headers[rt.header]) ?? (rt.query === undefined ? undefined : firstString((req.query as Record<string, unknown>)[rt.query]));
      const open = isPublicRoute(req);
      if (presented === undefined) {
        if (rt.optional || open || authOf(req) !== undefined) return;
        env.logger.info('api_key: request rejected', { requestId: req.id, reason: 'missing_key' });
        throw unauthorized();
      }
      const digest = crypto.createHash('sha256').update(presented, 'utf8').digest();
      let record: ApiKeyRecord | undefined;
      try {
        record = await rt.lookup(digest);
      } catch (err) {
        env.logger.error('api_key: key store failed', { requestId: req.id, error: (err as Error).message });
        throw new HttpError(503, 'Authentication is temporarily unavailable', { code: 'SERVICE_UNAVAILABLE', headers: { 'retry-after': '5' } });
      }
      if (record === undefined) {
        if (open) return;
        env.logger.info('api_key: request rejected', { requestId: req.id, reason: 'unknown_key' });
        throw unauthorized();
      }
      const { hash: _hash, ...claims } = record;
      setAuth(req, { method: 'api_key', subject: record.id, claims, scopes: stringList(record.scopes), roles: stringList(record.roles) });
    };
    return { hooks: { onRequest: hook } };
  },
};

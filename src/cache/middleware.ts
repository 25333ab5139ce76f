import type { FastifyReply, FastifyRequest } from 'fastify';
import { authOf } from '../auth/types';
import { parseDuration } from '../config/units';
import { LokstraError } from '../errors/lokstra-error';
import type { FastifyMiddleware, MiddlewareEnv, RouteContribution, RouteInfo } from '../middleware/types';
import type { KvStore } from '../services/kvstore/types';
import { SingleFlight } from './flight';
import { cacheKey, etagOf, memoryCacheStore, tagVersions, type CachedResponse } from './store';

const STATE = Symbol('lokstra.cache');
// Only these response headers are stored: per-request ones (request id, rate-limit counters, cookies) never are.
const STORED_HEADERS = ['content-type', 'content-language', 'content-disposition', 'last-modified', 'link', 'location'];

interface RequestState {
  key: string;
  leader: boolean;
  hit: boolean;
  landed: boolean;
}

interface Settings {
  app: string;
  ttlMs: number;
  store: KvStore;
  vary: string[];
  tags: string[];
  private: boolean;
  storeTimeout: number;
  flights: SingleFlight;
  env: MiddlewareEnv;
}

function invalid(detail: string): LokstraError {
  return new LokstraError('LKS_ERR_MIDDLEWARE_INVALID', { name: 'cache', detail });
}

function within<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cache store did not answer within ${ms} ms`)), ms);
    work.then((v) => { clearTimeout(timer); resolve(v); }, (e: unknown) => { clearTimeout(timer); reject(e); });
  });
}

function stateOf(req: FastifyRequest): RequestState | undefined {
  return (req as unknown as Record<symbol, RequestState | undefined>)[STATE];
}

function cacheControl(s: Settings): string {
  return `${s.private ? 'private' : 'public'}, max-age=${Math.floor(s.ttlMs / 1000)}`;
}

function notModified(req: FastifyRequest, etag: string): boolean {
  const given = req.headers['if-none-match'];
  if (typeof given !== 'string') return false;
  return given.split(',').some((t) => { const v = t.trim().replace(/^W\//, ''); return v === etag || v === '*'; });
}

function decorate(reply: FastifyReply, s: Settings, etag: string, xCache: string): void {
  reply.header('etag', etag).header('cache-control', cacheControl(s)).header('x-cache', xCache);
  if (s.vary.length > 0) reply.header('vary', s.vary.join(', '));
}

function serve(req: FastifyRequest, reply: FastifyReply, s: Settings, entry: CachedResponse): FastifyReply {
  decorate(reply, s, entry.etag, 'HIT');
  reply.header('age', String(Math.max(0, Math.floor((Date.now() - entry.stored) / 1000))));
  (req as unknown as Record<symbol, RequestState>)[STATE] = { key: '', leader: false, hit: true, landed: true };
  if (notModified(req, entry.etag)) return reply.code(304).send();
  for (const [k, v] of Object.entries(entry.headers)) reply.header(k, v);
  return reply.code(entry.status).send(Buffer.from(entry.body, 'base64'));
}

// Anonymous unless private: a request carrying credentials (or cookies) may get a personal answer.
function keyOf(req: FastifyRequest, s: Settings, versions: string): string | undefined {
  const auth = authOf(req);
  const credentials = auth !== undefined || req.headers.authorization !== undefined || req.headers.cookie !== undefined;
  if (credentials && (!s.private || auth?.subject === undefined)) return undefined;
  const varied = s.vary.map((h) => `${h}=${String(req.headers[h] ?? '')}`);
  return cacheKey([s.app, req.url, ...varied, s.private ? `sub=${auth?.subject ?? ''}` : '', versions]);
}

async function onRequest(s: Settings, req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
  let key: string | undefined;
  let hit: CachedResponse | undefined;
  try {
    key = keyOf(req, s, await within(tagVersions(s.store, s.tags), s.storeTimeout));
    if (key === undefined) return undefined;
    hit = await within(s.store.get<CachedResponse>(key), s.storeTimeout);
  } catch (err) {
    s.env.logger.warn('cache: store failed; serving uncached', { requestId: req.id, error: (err as Error).message });
    return undefined;
  }
  if (hit !== undefined) return serve(req, reply, s, hit);
  if (req.method === 'HEAD') return undefined;
  const flight = s.flights.join(key);
  if (flight !== undefined) {
    const landed = await flight;
    if (landed !== undefined) return serve(req, reply, s, landed);
    return undefined;
  }
  (req as unknown as Record<symbol, RequestState>)[STATE] = { key, leader: true, hit: false, landed: false };
  return undefined;
}

function cacheable(reply: FastifyReply, payload: unknown): payload is string | Buffer {
  if (reply.statusCode !== 200 || reply.hasHeader('set-cookie')) return false;
  const cc = reply.getHeader('cache-control');
  if (typeof cc === 'string' && /no-store|private|no-cache/i.test(cc)) return false;
  return typeof payload === 'string' || Buffer.isBuffer(payload);
}

async function onSend(s: Settings, req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  const state = stateOf(req);
  if (state === undefined || state.hit) return payload;
  let entry: CachedResponse | undefined;
  if (cacheable(reply, payload)) {
    const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
    const headers: Record<string, string> = {};
    for (const h of STORED_HEADERS) { const v = reply.getHeader(h); if (v !== undefined) headers[h] = String(v); }
    entry = { status: 200, headers, body: body.toString('base64'), etag: etagOf(body), stored: Date.now() };
    decorate(reply, s, entry.etag, 'MISS');
    try {
      await within(s.store.set(state.key, entry, s.ttlMs), s.storeTimeout);
    } catch (err) {
      s.env.logger.warn('cache: store failed; response not cached', { requestId: req.id, error: (err as Error).message });
    }
  }
  state.landed = true;
  s.flights.land(state.key, entry);
  if (entry !== undefined && notModified(req, entry.etag)) {
    reply.code(304);
    return '';
  }
  return payload;
}

// A leader whose request ended without onSend (aborted) must still release its waiters.
function release(req: FastifyRequest, s: Settings): void {
  const state = stateOf(req);
  if (state !== undefined && state.leader && !state.landed) {
    state.landed = true;
    s.flights.land(state.key, undefined);
  }
}

/**
 * `cache`: server-side response cache for GET/HEAD (SPEC-2 §7) over a KV store (memory or Redis):
 * ETag and 304, `Cache-Control`, `vary`, single flight, tag invalidation (`cache.invalidate`).
 * Never stores responses with `Set-Cookie`, non-200 answers, or answers to requests with
 * credentials — unless `private: true`, which keys them per caller.
 */
export const responseCache: FastifyMiddleware = {
  build(config, env): (route: RouteInfo) => RouteContribution {
    const ttlMs = parseDuration(config.ttl ?? '60s');
    if (ttlMs === undefined || ttlMs <= 0) throw invalid('ttl must be a positive duration');
    const storeTimeout = parseDuration(config.store_timeout ?? '250ms') ?? 250;
    const storeName = typeof config.store === 'string' ? config.store : 'memory';
    const store = storeName === 'memory' ? memoryCacheStore() : env.container.get<KvStore>(storeName);
    if (typeof store?.get !== 'function' || typeof store.set !== 'function') throw invalid(`store '${storeName}' is not a KV store (get/set)`);
    const vary = ((config.vary as string[] | undefined) ?? []).map((h) => h.toLowerCase());
    const tags = (config.tags as string[] | undefined) ?? [];
    const flights = new SingleFlight();
    return (route) => {
      const s: Settings = { app: route.app, ttlMs, store, vary, tags, private: config.private === true, storeTimeout, flights, env };
      return {
        hooks: {
          onRequest: (req: FastifyRequest, reply: FastifyReply) => onRequest(s, req, reply),
          onSend: (req: FastifyRequest, reply: FastifyReply, payload: unknown) => onSend(s, req, reply, payload),
          onResponse: async (req: FastifyRequest) => release(req, s),
          onRequestAbort: async (req: FastifyRequest) => release(req, s),
        },
      };
    };
  },
};

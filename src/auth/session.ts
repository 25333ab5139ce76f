import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseDuration } from '../config/units';
import { LokstraError } from '../errors/lokstra-error';
import { HttpError } from '../errors/http-error';
import { optional } from '../internal/optional';
import type { FastifyMiddleware, MiddlewareEnv, RouteHook } from '../middleware/types';
import { MemoryKvStore } from '../services/kvstore/memory';
import type { KvStore } from '../services/kvstore/types';
import { setAuth, stringList } from './types';
import type { RawSession } from './session-handle';

type Callback = (err?: unknown, value?: unknown) => void;

/** @fastify/session's store contract over a Lokstra KvStore (memory or Redis), with the cookie's max age as TTL. */
class KvSessionStore {
  constructor(private readonly kv: KvStore, private readonly prefix: string, private readonly ttlMs: number) {}

  get(id: string, cb: Callback): void {
    this.kv.get(this.prefix + id).then((v) => cb(null, v ?? null), cb);
  }

  set(id: string, session: unknown, cb: Callback): void {
    // Plain JSON: the same for memory and Redis, and nothing of the live object is kept.
    const data = JSON.parse(JSON.stringify(session)) as unknown;
    this.kv.set(this.prefix + id, data, this.ttlMs > 0 ? this.ttlMs : undefined).then(() => cb(), cb);
  }

  destroy(id: string, cb: Callback): void {
    this.kv.delete(this.prefix + id).then(() => cb(), cb);
  }
}

function invalid(detail: string): LokstraError {
  return new LokstraError('LKS_ERR_MIDDLEWARE_INVALID', { name: 'session', detail });
}

interface SessionHooks { onRequest: RouteHook; onSend: RouteHook }

/**
 * Runs @fastify/session's plugin function against a recorder instead of a Fastify instance: its
 * onRequest/onSend hooks become this attachment's route hooks, so routes without `session` never
 * load one and several configs can live on one listener.
 */
function sessionHooks(options: Record<string, unknown>): SessionHooks {
  const hooks: Partial<SessionHooks> = {};
  let failure: unknown;
  const recorder = {
    decorate: () => recorder,
    decorateRequest: () => recorder,
    addHook: (name: keyof SessionHooks, fn: RouteHook) => { hooks[name] = fn; return recorder; },
  };
  const plugin = optional.fastifySession() as unknown as (f: unknown, o: unknown, next: (err?: unknown) => void) => void;
  plugin(recorder, options, (err) => { failure = err; });
  if (failure !== undefined && failure !== null) throw invalid((failure as Error).message);
  if (hooks.onRequest === undefined || hooks.onSend === undefined) throw invalid('@fastify/session did not add its hooks');
  return hooks as SessionHooks;
}

function storeFor(config: Record<string, unknown>, env: MiddlewareEnv, ttlMs: number): KvSessionStore {
  const name = typeof config.store === 'string' ? config.store : 'memory';
  const kv = name === 'memory' ? new MemoryKvStore({ maxEntries: 100_000 }) : env.container.get<KvStore>(name);
  if (typeof kv?.get !== 'function' || typeof kv.set !== 'function' || typeof kv.delete !== 'function') throw invalid(`store '${name}' is not a KV store (get/set/delete)`);
  return new KvSessionStore(kv, 'sess:', ttlMs);
}

function unavailable(err: unknown, env: MiddlewareEnv, req: FastifyRequest): HttpError {
  env.logger.error('session: store failed', { requestId: req.id, error: (err as Error).message });
  return new HttpError(503, 'Sessions are temporarily unavailable', { code: 'SERVICE_UNAVAILABLE', headers: { 'retry-after': '5' } });
}

// A session holding `auth: { subject, roles, scopes }` (set at login) authenticates its requests.
function authFromSession(req: FastifyRequest): void {
  const session = (req as unknown as { session?: RawSession | null }).session;
  const auth = session?.get?.('auth') as { subject?: unknown; roles?: unknown; scopes?: unknown } | undefined;
  if (auth === undefined || auth === null || typeof auth.subject !== 'string') return;
  setAuth(req, { method: 'session', subject: auth.subject, claims: auth as Record<string, unknown>, roles: stringList(auth.roles), scopes: stringList(auth.scopes) });
}

/**
 * `session`: @fastify/session (signed cookie, server-side data) with @fastify/cookie; data in memory
 * or a `lokstra.kvstore_*` service (Redis: shared by every instance). Gives `ctx.session`.
 */
export const session: FastifyMiddleware = {
  async setup(fastify) {
    if (!fastify.hasReplyDecorator('setCookie')) await fastify.register(optional.fastifyCookie());
  },
  build(config, env) {
    const cookie = (config.cookie ?? {}) as Record<string, unknown>;
    const maxAge = parseDuration(cookie.max_age ?? '1d') ?? 86_400_000;
    const hooks = sessionHooks({
      secret: config.secret,
      cookieName: typeof cookie.name === 'string' ? cookie.name : 'sid',
      saveUninitialized: false,
      rolling: config.rolling !== false,
      store: storeFor(config, env, maxAge),
      cookie: {
        path: '/', httpOnly: true, maxAge,
        secure: cookie.secure === undefined ? 'auto' : cookie.secure,
        sameSite: typeof cookie.same_site === 'string' ? cookie.same_site : 'lax',
        ...(typeof cookie.domain === 'string' ? { domain: cookie.domain } : {}),
      },
    });
    const onRequest = (req: FastifyRequest, reply: FastifyReply, done: (err?: unknown) => void): void => {
      (hooks.onRequest as (r: FastifyRequest, p: FastifyReply, d: (err?: unknown) => void) => void)(req, reply, (err) => {
        if (err !== undefined && err !== null) return done(unavailable(err, env, req));
        authFromSession(req);
        done();
      });
    };
    const onSend = (req: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: unknown, payload?: unknown) => void): void => {
      (hooks.onSend as (r: FastifyRequest, p: FastifyReply, b: unknown, d: (err?: unknown) => void) => void)(req, reply, payload, (err) => {
        if (err !== undefined && err !== null) env.logger.error('session: could not save', { requestId: req.id, error: (err as Error).message });
        done(null, payload);
      });
    };
    return { hooks: { onRequest, onSend } };
  },
};

import type { FastifyReply, FastifyRequest } from 'fastify';
import { LokstraError } from '../errors/lokstra-error';
import { HttpError } from '../errors/http-error';
import { optional } from '../internal/optional';
import type { FastifyMiddleware, RouteHook } from '../middleware/types';
import { setCsrf } from './csrf-token';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

type Protect = (req: FastifyRequest, reply: unknown, next: () => void) => void;
type Generate = (this: FastifyReply, opts?: unknown) => string;

/**
 * Runs @fastify/csrf-protection's plugin function against a recorder: its `csrfProtection` check
 * and `reply.generateCsrf` become this attachment's, so each config (cookie, header, field) keeps its
 * own and routes without `csrf` are untouched.
 */
function csrfFunctions(options: Record<string, unknown>): { protect: Protect; generate: Generate } {
  const captured: { protect?: Protect; generate?: Generate } = {};
  const recorder = {
    decorate: (name: string, fn: Protect) => { if (name === 'csrfProtection') captured.protect = fn; },
    decorateReply: (name: string, fn: Generate) => { if (name === 'generateCsrf') captured.generate = fn; },
  };
  const plugin = optional.fastifyCsrfProtection() as unknown as (f: unknown, o: unknown) => Promise<void>;
  // The plugin is an async function whose body runs synchronously up to its end (no await inside).
  void plugin(recorder, options).catch(() => undefined);
  if (captured.protect === undefined || captured.generate === undefined) {
    throw new LokstraError('LKS_ERR_MIDDLEWARE_INVALID', { name: 'csrf', detail: '@fastify/csrf-protection did not provide its functions' });
  }
  return { protect: captured.protect, generate: captured.generate };
}

function invalid(): HttpError {
  return new HttpError(403, 'Invalid CSRF token', { code: 'CSRF_INVALID' });
}

/**
 * `csrf`: @fastify/csrf-protection (double submit: a secret in an HttpOnly cookie, a token derived
 * from it in the `x-csrf-token` header or the `_csrf` form field). Unsafe methods without a valid
 * token → 403 `CSRF_INVALID`; GET/HEAD/OPTIONS are exempt. `ctx.csrfToken()` makes a token, and
 * HTMX pages of the route carry it (`<meta name="csrf-token">`, `hx-headers`).
 */
export const csrf: FastifyMiddleware = {
  async setup(fastify) {
    if (!fastify.hasReplyDecorator('setCookie')) await fastify.register(optional.fastifyCookie());
  },
  build(config, env) {
    const cookie = typeof config.cookie === 'string' ? config.cookie : '_csrf';
    const header = (typeof config.header === 'string' ? config.header : 'x-csrf-token').toLowerCase();
    const field = typeof config.field === 'string' ? config.field : '_csrf';
    const getToken = (req: FastifyRequest): unknown => {
      const fromHeader = req.headers[header];
      if (typeof fromHeader === 'string' && fromHeader !== '') return fromHeader;
      const body = req.body as Record<string, unknown> | undefined;
      return typeof body === 'object' && body !== null ? body[field] : undefined;
    };
    const { protect, generate } = csrfFunctions({
      cookieKey: cookie, getToken, sessionPlugin: '@fastify/cookie',
      cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure: 'auto' },
    });
    const onRequest: RouteHook = (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
      let token: string | undefined;
      setCsrf(req, { header, field, token: () => (token ??= generate.call(reply)) });
      done();
    };
    // preHandler: the form field is only there once the body is parsed.
    const preHandler: RouteHook = (req: FastifyRequest, _reply: FastifyReply, done: (err?: unknown) => void) => {
      if (SAFE.has(req.method)) return done();
      let passed = false;
      const verdict = { send: () => undefined };
      try {
        protect(req, verdict, () => { passed = true; });
      } catch {
        passed = false;
      }
      if (passed) return done();
      env.logger.info('csrf: request rejected', { requestId: req.id, method: req.method });
      return done(invalid());
    };
    return { hooks: { onRequest, preHandler } };
  },
};

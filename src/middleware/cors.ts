import type { FastifyRequest } from 'fastify';
import type { FastifyCorsOptions } from '@fastify/cors';
import { optional } from '../internal/optional';
import { LokstraError } from '../errors/lokstra-error';
import type { FastifyMiddleware } from './types';

/** Route config key holding a route's compiled CORS options. */
export const CORS = Symbol.for('lokstra.cors');

const DEFAULT_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** A route's CORS options: one for preflights, one for everything else (so a bare OPTIONS is not a preflight). */
interface CorsRuntime {
  preflight: FastifyCorsOptions;
  plain: FastifyCorsOptions;
}

const DISABLED: FastifyCorsOptions = { origin: false };

function escapeRegex(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * An origin pattern as a matcher: exact (case-insensitive), or with `*` standing for one or more DNS
 * labels (`https://*.example.com` matches `https://a.b.example.com`, never `https://example.com`,
 * `https://evil-example.com` or `https://a.example.com.evil.net`), anchored at both ends.
 */
export function originMatcher(pattern: string): (origin: string) => boolean {
  if (!pattern.includes('*')) {
    const exact = pattern.toLowerCase();
    return (origin) => origin.toLowerCase() === exact;
  }
  const source = pattern.split('*').map(escapeRegex).join('[a-z0-9-]+(?:\\.[a-z0-9-]+)*');
  const re = new RegExp(`^${source}$`, 'i');
  return (origin) => re.test(origin);
}

function list(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.map(String) : undefined;
}

function compile(config: Record<string, unknown>): CorsRuntime {
  const origins = list(config.allowed_origins) ?? ['*'];
  const credentials = config.allow_credentials === true;
  const any = origins.includes('*');
  if (any && credentials) {
    throw new LokstraError('LKS_ERR_MIDDLEWARE_INVALID', { name: 'cors', detail: 'allow_credentials cannot be used with allowed_origins "*": list the origins (patterns like https://*.example.com work)' });
  }
  const matchers = origins.map(originMatcher);
  // Disallowed origins resolve to `false`: @fastify/cors then adds no CORS header at all.
  const origin: FastifyCorsOptions['origin'] = any ? '*' : (requestOrigin, cb) => {
    cb(null, requestOrigin !== undefined && matchers.some((m) => m(requestOrigin)) ? requestOrigin : false);
  };
  const base: FastifyCorsOptions = {
    origin,
    credentials,
    methods: list(config.allowed_methods) ?? DEFAULT_METHODS,
    maxAge: typeof config.max_age === 'number' ? config.max_age : 86400,
    strictPreflight: false,
    preflightContinue: false,
    optionsSuccessStatus: 204,
  };
  const allowedHeaders = list(config.allowed_headers);
  if (allowedHeaders !== undefined) base.allowedHeaders = allowedHeaders;
  const exposedHeaders = list(config.exposed_headers);
  if (exposedHeaders !== undefined && exposedHeaders.length > 0) base.exposedHeaders = exposedHeaders;
  return { preflight: { ...base, preflight: true }, plain: { ...base, preflight: false } };
}

function isPreflight(req: FastifyRequest): boolean {
  return req.method === 'OPTIONS' && req.headers.origin !== undefined && req.headers['access-control-request-method'] !== undefined;
}

/**
 * `cors`: @fastify/cors, registered once per listener; each route's options live in its config.
 * A preflight for a path that declares no OPTIONS route is answered with the options of the route
 * it asks about (`Access-Control-Request-Method`), found in the listener's method index; a bare
 * OPTIONS is not a preflight (it gets `204` with `Allow`). `Vary: Origin` is always sent.
 */
export const cors: FastifyMiddleware = {
  async setup(fastify, listener) {
    // Routes without cors are skipped by @fastify/cors before it does anything (no Vary: Origin
    // either); its own `OPTIONS *` route must stay open, as it carries unmatched preflights.
    fastify.addHook('onRoute', (route) => {
      if (route.url === '*') return;
      const config = (route.config ??= {}) as Record<PropertyKey, unknown>;
      if (config[CORS] === undefined && config.cors === undefined) config.cors = false;
    });
    await fastify.register(optional.fastifyCors(), {
      hook: 'onRequest',
      delegator: (req: FastifyRequest, cb: (err: Error | null, options: FastifyCorsOptions) => void) => {
        let runtime = (req.routeOptions.config as unknown as Record<PropertyKey, unknown>)[CORS] as CorsRuntime | undefined;
        if (runtime === undefined && isPreflight(req)) {
          runtime = listener.routeConfig(req.headers['access-control-request-method'] as string, req.url)?.[CORS] as CorsRuntime | undefined;
        }
        cb(null, runtime === undefined ? DISABLED : req.method === 'OPTIONS' && !isPreflight(req) ? runtime.plain : runtime.preflight);
      },
    });
  },
  build(config) {
    return { options: { config: { [CORS]: compile(config) } } };
  },
};

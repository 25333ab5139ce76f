import { createPublicKey, type KeyObject } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import { parseDuration } from '../config/units';
import { LokstraError } from '../errors/lokstra-error';
import { HttpError } from '../errors/http-error';
import { optional } from '../internal/optional';
import { safeLogValue } from '../middleware/log-safety';
import type { FastifyMiddleware, MiddlewareEnv } from '../middleware/types';
import { authOf, isPublicRoute, setAuth, stringList } from './types';
import { readCookie } from './cookies';

const HMAC = ['HS256', 'HS384', 'HS512'];
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** Algorithms `jwt` accepts in `algorithms` (never `none`). */
export const JWT_ALGORITHMS = [...HMAC, ...ASYMMETRIC];

/** Shortest HMAC secret accepted (RFC 7518 §3.2: at least the hash size; 32 bytes for HS256). */
export const MIN_SECRET_BYTES = 32;

/** Compiled `jwt` config. */
interface JwtRuntime {
  key: Uint8Array | KeyObject | JWTVerifyGetKey;
  usesJwks: boolean;
  verify: { algorithms: string[]; issuer?: string | string[]; audience?: string | string[]; clockTolerance: number };
  header: string;
  scheme: string;
  cookie: string | undefined;
  optional: boolean;
  maxLength: number;
  rolesClaim: string;
  scopesClaim: string | undefined;
  challenge: string;
}

function invalid(detail: string): LokstraError {
  return new LokstraError('LKS_ERR_MIDDLEWARE_INVALID', { name: 'jwt', detail });
}

function checkAlgorithms(config: Record<string, unknown>): string[] {
  const algorithms = Array.isArray(config.algorithms) ? config.algorithms.map(String) : [];
  if (algorithms.length === 0) throw invalid('algorithms is required (e.g. [HS256] or [RS256])');
  for (const alg of algorithms) {
    if (alg.toLowerCase() === 'none') throw invalid("algorithm 'none' is never accepted (unsigned tokens)");
    if (!JWT_ALGORITHMS.includes(alg)) throw invalid(`unknown algorithm '${alg}'; known: ${JWT_ALGORITHMS.join(', ')}`);
  }
  const sources = ['secret', 'public_key', 'jwks_url'].filter((k) => config[k] !== undefined);
  if (sources.length !== 1) throw invalid('give exactly one of secret, public_key or jwks_url');
  const hmac = algorithms.filter((a) => HMAC.includes(a));
  // One key source serves one family: an HS* algorithm next to a public key is the algorithm-confusion hole.
  if (config.secret !== undefined && hmac.length !== algorithms.length) throw invalid('secret verifies HS256/HS384/HS512 only; use public_key or jwks_url for the others');
  if (config.secret === undefined && hmac.length > 0) throw invalid(`${hmac.join(', ')} needs a secret, not ${sources[0] as string}`);
  return algorithms;
}

function keyOf(config: Record<string, unknown>, env: MiddlewareEnv): { key: JwtRuntime['key']; usesJwks: boolean } {
  const jose = optional.jose();
  if (typeof config.secret === 'string') {
    const bytes = new TextEncoder().encode(config.secret);
    if (bytes.length < MIN_SECRET_BYTES) throw invalid(`secret must be at least ${MIN_SECRET_BYTES} bytes (it has ${bytes.length})`);
    return { key: bytes, usesJwks: false };
  }
  if (typeof config.public_key === 'string') {
    try {
      return { key: createPublicKey(config.public_key), usesJwks: false };
    } catch (err) {
      throw invalid(`public_key is not a PEM public key or certificate (${(err as Error).message})`);
    }
  }
  let url: URL;
  try {
    url = new URL(String(config.jwks_url));
  } catch {
    throw invalid('jwks_url is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('jwks_url must be http(s)');
  if (url.protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    env.logger.warn('jwt: jwks_url is plain http; keys can be replaced in transit', { jwks_url: url.origin });
  }
  const timeout = parseDuration(config.jwks_timeout ?? '3s') ?? 3000;
  const cacheMaxAge = parseDuration(config.jwks_cache ?? '10m') ?? 600_000;
  return { key: jose.createRemoteJWKSet(url, { timeoutDuration: timeout, cooldownDuration: 30_000, cacheMaxAge }), usesJwks: true };
}

function list(value: unknown): string | string[] | undefined {
  if (typeof value === 'string') return value;
  return Array.isArray(value) ? value.map(String) : undefined;
}

/** Compiles a `jwt` config at boot; every problem is an `LKS_ERR_MIDDLEWARE_INVALID`. */
export function compileJwt(config: Record<string, unknown>, env: MiddlewareEnv): JwtRuntime {
  const algorithms = checkAlgorithms(config);
  const { key, usesJwks } = keyOf(config, env);
  const verify: JwtRuntime['verify'] = { algorithms, clockTolerance: Math.round((parseDuration(config.clock_tolerance ?? '30s') ?? 30_000) / 1000) };
  const issuer = list(config.issuer);
  if (issuer !== undefined) verify.issuer = issuer;
  const audience = list(config.audience);
  if (audience !== undefined) verify.audience = audience;
  const scheme = typeof config.scheme === 'string' ? config.scheme : 'Bearer';
  return {
    key, usesJwks, verify, scheme,
    header: (typeof config.header === 'string' ? config.header : 'authorization').toLowerCase(),
    cookie: typeof config.cookie === 'string' ? config.cookie : undefined,
    optional: config.optional === true,
    maxLength: typeof config.max_token_length === 'number' ? config.max_token_length : 8192,
    rolesClaim: typeof config.roles_claim === 'string' ? config.roles_claim : 'roles',
    scopesClaim: typeof config.scopes_claim === 'string' ? config.scopes_claim : undefined,
    challenge: `${scheme === '' ? 'Bearer' : scheme} error="invalid_token"`,
  };
}

/** The token of a request: `<scheme> <token>` in the header (scheme case-insensitive), else the cookie. */
function tokenOf(req: FastifyRequest, rt: JwtRuntime): string | undefined {
  const raw = req.headers[rt.header];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value !== undefined && value !== '') {
    if (rt.scheme === '') return value.trim();
    const space = value.indexOf(' ');
    if (space > 0 && value.slice(0, space).toLowerCase() === rt.scheme.toLowerCase()) return value.slice(space + 1).trim();
    return '';
  }
  return rt.cookie === undefined ? undefined : readCookie(req, rt.cookie);
}

function unauthorized(rt: JwtRuntime): HttpError {
  return new HttpError(401, 'Unauthorized', { code: 'UNAUTHORIZED', headers: { 'www-authenticate': rt.challenge } });
}

const JWKS_UNAVAILABLE = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID', 'ERR_JOSE_GENERIC']);

/** A failure of the key set itself (down, slow, broken): 503, the token may well be fine. */
function isKeySetFailure(err: unknown, rt: JwtRuntime): boolean {
  if (!rt.usesJwks) return false;
  const code = (err as { code?: unknown }).code;
  const isJose = typeof code === 'string' && (code.startsWith('ERR_JOSE') || code.startsWith('ERR_JW'));
  return !isJose || JWKS_UNAVAILABLE.has(code);
}

/** Verifies a token with jose and returns the claims; throws the 401/503 HttpError otherwise (reasons logged). */
export async function verifyToken(token: string, rt: JwtRuntime, log: (reason: string, detail: string) => void): Promise<JWTPayload> {
  if (token.length > rt.maxLength) {
    log('token_too_long', `${token.length} characters`);
    throw unauthorized(rt);
  }
  try {
    const { payload } = await optional.jose().jwtVerify(token, rt.key as never, rt.verify);
    return payload;
  } catch (err) {
    const code = String((err as { code?: unknown }).code ?? (err as Error).name);
    log(code, (err as Error).message);
    if (isKeySetFailure(err, rt)) {
      throw new HttpError(503, 'Authentication is temporarily unavailable', { code: 'SERVICE_UNAVAILABLE', headers: { 'retry-after': '5' } });
    }
    throw unauthorized(rt);
  }
}

/**
 * `jwt`: verifies `Authorization: Bearer <token>` (or a cookie) with jose in an `onRequest` hook and
 * sets `ctx.auth`. Missing or bad tokens are a 401 `UNAUTHORIZED` with `WWW-Authenticate: Bearer
 * error="invalid_token"`; the reason only goes to the log. A JWKS that cannot be read in
 * `jwks_timeout` is a 503. `@Public()` routes let anonymous and bad tokens through.
 */
export const jwt: FastifyMiddleware = {
  build(config, env) {
    const rt = compileJwt(config, env);
    const hook = async (req: FastifyRequest): Promise<void> => {
      const token = tokenOf(req, rt);
      const open = isPublicRoute(req);
      if (token === undefined) {
        if (rt.optional || open || authOf(req) !== undefined) return;
        env.logger.info('jwt: request rejected', { requestId: req.id, reason: 'missing_token' });
        throw unauthorized(rt);
      }
      const log = (reason: string, detail: string): void => {
        env.logger.info('jwt: request rejected', { requestId: req.id, reason, detail: safeLogValue(detail.slice(0, 200)) });
      };
      let payload: JWTPayload;
      try {
        payload = await verifyToken(token, rt, log);
      } catch (err) {
        if (open) return;
        throw err;
      }
      const scopes = rt.scopesClaim !== undefined ? stringList(payload[rt.scopesClaim]) : stringList(payload.scope ?? payload.scp);
      setAuth(req, { method: 'jwt', subject: payload.sub, claims: payload, scopes, roles: stringList(payload[rt.rolesClaim]) });
    };
    return { hooks: { onRequest: hook } };
  },
};

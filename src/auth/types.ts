import type { FastifyRequest } from 'fastify';

/**
 * Who made the request, as `jwt`, `api_key`, `session` or `oauth2` established it (`ctx.auth`).
 * @example
 * @Get('/me') me(@Auth() auth: AuthInfo) { return { id: auth.subject, roles: auth.roles }; }
 */
export interface AuthInfo {
  /** The middleware that authenticated the request: `jwt`, `api_key`, `session`, `oauth2` or a custom name. */
  method: string;
  /** The token's `sub`, the API key's `id`, the session's user id. */
  subject: string | undefined;
  /** Every verified claim (JWT payload; the key's record for API keys). */
  claims: Record<string, unknown>;
  scopes: string[];
  roles: string[];
}

/** Request key of the request's {@link AuthInfo} (a Symbol.for, so two copies of Lokstra agree). */
export const AUTH = Symbol.for('lokstra.auth');

/** Route config key set by `@Public()`: the app's authentication and `authorize` let the route through. */
export const PUBLIC = Symbol.for('lokstra.public');

/** The request's {@link AuthInfo}, if a middleware set one. */
export function authOf(req: FastifyRequest): AuthInfo | undefined {
  return (req as unknown as Record<symbol, AuthInfo | undefined>)[AUTH];
}

/** Sets the request's {@link AuthInfo}. */
export function setAuth(req: FastifyRequest, auth: AuthInfo): void {
  (req as unknown as Record<symbol, AuthInfo | undefined>)[AUTH] = auth;
}

/** True when the route is marked `@Public()`. */
export function isPublicRoute(req: FastifyRequest): boolean {
  return (req.routeOptions.config as unknown as Record<PropertyKey, unknown> | undefined)?.[PUBLIC] === true;
}

/** Reads a claim as a list of strings: an array, or a space-separated string (OAuth2 `scope`). */
export function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value === 'string') return value.split(' ').filter((s) => s !== '');
  return [];
}

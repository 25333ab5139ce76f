import type { FastifyRequest } from 'fastify';
import { HttpError } from '../errors/http-error';
import type { FastifyMiddleware } from '../middleware/types';
import { authOf, isPublicRoute, PUBLIC, type AuthInfo } from './types';

/** What a route requires of `ctx.auth`. */
export interface AuthorizeRule {
  roles: string[];
  scopes: string[];
  /** `false`: every listed role and scope; `true`: any one of them. */
  any: boolean;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

/** The rule of an `authorize` config (`{ roles, scopes, any }`). */
export function authorizeRule(config: Record<string, unknown>): AuthorizeRule {
  return { roles: strings(config.roles), scopes: strings(config.scopes), any: config.any === true };
}

/** True when `auth` satisfies `rule` (an empty rule only asks for an authenticated request). */
export function isAllowed(auth: AuthInfo, rule: AuthorizeRule): boolean {
  const wanted = rule.roles.length + rule.scopes.length;
  if (wanted === 0) return true;
  const hasRole = (r: string): boolean => auth.roles.includes(r);
  const hasScope = (s: string): boolean => auth.scopes.includes(s);
  if (rule.any) return rule.roles.some(hasRole) || rule.scopes.some(hasScope);
  return rule.roles.every(hasRole) && rule.scopes.every(hasScope);
}

/** The 401 answered when a route needs an authenticated request and has none. */
export function authenticationRequired(): HttpError {
  return new HttpError(401, 'Unauthorized', { code: 'UNAUTHORIZED', headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
}

/**
 * `authorize`: `{ roles, scopes, any }` checked against `ctx.auth` in an `onRequest` hook that runs
 * after the authentication middleware (priority 70): no `ctx.auth` → 401 `UNAUTHORIZED`, missing
 * roles/scopes → 403 `FORBIDDEN`. `@Roles`/`@Scopes` attach the same check to a controller or method.
 */
export const authorize: FastifyMiddleware = {
  build(config) {
    const rule = authorizeRule(config);
    const hook = async (req: FastifyRequest): Promise<void> => {
      if (isPublicRoute(req)) return;
      const auth = authOf(req);
      if (auth === undefined) throw authenticationRequired();
      if (!isAllowed(auth, rule)) throw new HttpError(403, 'Forbidden', { code: 'FORBIDDEN' });
    };
    return { hooks: { onRequest: hook } };
  },
};

/** `public` (set by `@Public()`): marks the route so the app's authentication and `authorize` let it through. */
export const publicRoute: FastifyMiddleware = {
  build() {
    return { options: { config: { [PUBLIC]: true } } };
  },
};

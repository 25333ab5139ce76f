/** Security schemes used by a document, keyed by scheme name. */
export type SecurityUse = Record<string, Record<string, unknown>>;

// Auth middleware by registered name (SPEC-2 §2) → the scheme it enforces. Detected by name from
// the route's middleware chain; the defaults of each middleware's config are assumed.
const SCHEMES: Record<string, [string, Record<string, unknown>]> = {
  jwt: ['bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }],
  api_key: ['apiKeyAuth', { type: 'apiKey', in: 'header', name: 'x-api-key' }],
  session: ['sessionCookie', { type: 'apiKey', in: 'cookie', name: 'sessionId' }],
};

// `authorize` in YAML, and what `@Roles`/`@Scopes` attach on a class or a method.
const AUTHORIZE = new Set(['authorize', 'authorize@class', 'authorize@method']);
// What `@Public()` attaches: the route skips authentication and authorisation.
const PUBLIC = 'public';

/** What a route's middleware adds: the error statuses it can answer and the security requirement. */
export interface RouteSecurity {
  statuses: number[];
  requirement: Record<string, string[]> | undefined;
}

/**
 * Reads a route's middleware names: `jwt`/`api_key` → 401 and their scheme; `session` → its scheme;
 * `authorize` (and `@Roles`/`@Scopes`) → 401/403; `csrf` → 403; `rate_limit` → 429. `@Public()`
 * routes (`public` in the chain) have no security requirement and no 401/403 from auth.
 */
export function securityOf(middleware: readonly string[], used: SecurityUse): RouteSecurity {
  const statuses = new Set<number>();
  const open = middleware.includes(PUBLIC);
  let requirement: Record<string, string[]> | undefined;
  for (const name of middleware) {
    const scheme = SCHEMES[name];
    if (scheme !== undefined && !open) {
      used[scheme[0]] = scheme[1];
      (requirement ??= {})[scheme[0]] = [];
      if (name !== 'session') statuses.add(401);
    }
    if (AUTHORIZE.has(name) && !open) { statuses.add(401); statuses.add(403); }
    if (name === 'csrf') statuses.add(403);
    if (name === 'rate_limit') statuses.add(429);
  }
  return { statuses: [...statuses].sort(), requirement };
}

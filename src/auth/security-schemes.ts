import { AUTHORIZE_CLASS, AUTHORIZE_METHOD, PUBLIC_MIDDLEWARE } from './decorators';

/** A middleware attachment as the compiled route table holds it (`CompiledRoute.fastify[i]`). */
export interface AttachmentLike {
  name: string;
  config: Record<string, unknown>;
}

/** What a route's auth middleware means for an API description (OpenAPI `security`, error statuses). */
export interface RouteAuth {
  /** `@Public()`: no requirement (OpenAPI `security: []`). */
  public: boolean;
  /** The schemes any one of which authenticates the route, with their OpenAPI Security Scheme Objects. */
  schemes: { middleware: string; scheme: Record<string, unknown> }[];
  /** Every scheme is `optional: true`: anonymous requests get through too (OpenAPI `{}` alternative). */
  optional: boolean;
  /** Roles and scopes `authorize` (YAML or `@Roles`/`@Scopes`) requires, all levels together. */
  roles: string[];
  scopes: string[];
  /** Error statuses the route's security middleware can answer with. */
  statuses: number[];
}

const AUTHORIZE = new Set(['authorize', AUTHORIZE_CLASS, AUTHORIZE_METHOD]);

function schemeOf(a: AttachmentLike): Record<string, unknown> | undefined {
  const c = a.config;
  if (a.name === 'jwt') {
    const header = typeof c.header === 'string' ? c.header.toLowerCase() : 'authorization';
    if (header === 'authorization' && c.scheme !== '') return { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' };
    return { type: 'apiKey', in: 'header', name: header };
  }
  if (a.name === 'api_key') return { type: 'apiKey', in: 'header', name: typeof c.header === 'string' ? c.header : 'x-api-key' };
  if (a.name === 'session') {
    const cookie = (c.cookie ?? {}) as Record<string, unknown>;
    return { type: 'apiKey', in: 'cookie', name: typeof cookie.name === 'string' ? cookie.name : 'sid' };
  }
  return undefined;
}

/**
 * Reads the security of one compiled route from its Fastify-phase attachments (names and configs,
 * so header and cookie names are the configured ones), for OpenAPI and route listings.
 * @example
 * const auth = routeAuth(route.fastify); // { public: false, schemes: [{ middleware: 'jwt', scheme: { type: 'http', … } }], … }
 */
export function routeAuth(attachments: readonly AttachmentLike[]): RouteAuth {
  const out: RouteAuth = { public: false, schemes: [], optional: false, roles: [], scopes: [], statuses: [] };
  const statuses = new Set<number>();
  let optionalCount = 0;
  for (const a of attachments) {
    if (a.name === PUBLIC_MIDDLEWARE) out.public = true;
    const scheme = schemeOf(a);
    if (scheme !== undefined) {
      out.schemes.push({ middleware: a.name, scheme });
      if (a.config.optional === true || a.name === 'session') optionalCount++;
      statuses.add(401);
    }
    if (AUTHORIZE.has(a.name)) {
      out.roles.push(...(Array.isArray(a.config.roles) ? a.config.roles.map(String) : []));
      out.scopes.push(...(Array.isArray(a.config.scopes) ? a.config.scopes.map(String) : []));
      statuses.add(401).add(403);
    }
    if (a.name === 'csrf') statuses.add(403);
    if (a.name === 'rate_limit') statuses.add(429);
  }
  out.optional = out.schemes.length > 0 && optionalCount === out.schemes.length;
  if (out.public) {
    // Authentication and authorize let a public route through; csrf still applies.
    statuses.delete(401);
    if (!attachments.some((a) => a.name === 'csrf')) statuses.delete(403);
  }
  out.statuses = [...statuses].sort();
  return out;
}

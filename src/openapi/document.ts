import type { OpenApiConfig } from '../config/types';
import type { CompiledRoute } from '../http/routing/compile';
import { SchemaComponents } from './components';
import { buildOperation, openApiPath, type OpenApiOperation } from './operation';
import { errorResponses, type OpenApiResponse } from './responses';
import type { SecurityUse } from './security';

/** An OpenAPI 3.1 document as Lokstra generates it. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description?: string };
  servers?: { url: string; description?: string }[];
  tags?: { name: string }[];
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, unknown>; responses: Record<string, OpenApiResponse>; securitySchemes?: SecurityUse };
}

/** Options of {@link buildOpenApiDocument}: the app's `openapi:` config and its name (the default title). */
export interface OpenApiDocumentOptions extends OpenApiConfig {
  app: string;
}

const VERBS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH']);

/** Routes the document describes: concrete methods, no wildcard mounts, not the document's own routes. */
function documented(route: CompiledRoute, own: (url: string) => boolean): boolean {
  return VERBS.has(route.method) && !route.url.includes('*') && !own(route.url);
}

/**
 * Builds the OpenAPI 3.1 document of an app from its compiled routes: parameters and bodies from the
 * schema compiler, envelope responses with `data` from `@Returns`, the standard errors each route
 * can produce, security schemes from auth middleware, tags per controller, stable operationIds.
 * @example
 * const doc = buildOpenApiDocument(handle.routes.filter((r) => r.app === 'api'), { app: 'api', title: 'Users' });
 */
export function buildOpenApiDocument(routes: readonly CompiledRoute[], options: OpenApiDocumentOptions): OpenApiDocument {
  const components = new SchemaComponents();
  const responses: Record<string, OpenApiResponse> = {};
  const security: SecurityUse = {};
  const env = { components, errors: errorResponses(components, responses), security };
  const ui = options.ui === false ? undefined : options.ui ?? '/docs';
  const own = (url: string): boolean => url === (options.path ?? '/openapi.json') || (ui !== undefined && (url === ui || url.startsWith(`${ui}/`)));
  const paths: OpenApiDocument['paths'] = {};
  const ids = new Map<string, number>();
  const tags = new Set<string>();
  for (const route of routes) {
    if (!documented(route, own)) continue;
    const op = buildOperation(route, env);
    // The same controller mounted twice (two prefixes) must not repeat an operationId.
    const n = (ids.get(op.operationId) ?? 0) + 1;
    ids.set(op.operationId, n);
    if (n > 1) op.operationId = `${op.operationId}_${n}`;
    for (const t of op.tags ?? []) tags.add(t);
    (paths[openApiPath(route.url)] ??= {})[route.method.toLowerCase()] = op;
  }
  const info: OpenApiDocument['info'] = { title: options.title ?? options.app, version: options.version ?? '1.0.0' };
  if (options.description !== undefined) info.description = options.description;
  const doc: OpenApiDocument = { openapi: '3.1.0', info, paths, components: { schemas: components.schemas, responses } };
  if (options.servers !== undefined && options.servers.length > 0) doc.servers = options.servers.map((s) => ({ ...s }));
  if (tags.size > 0) doc.tags = [...tags].sort().map((name) => ({ name }));
  if (Object.keys(security).length > 0) doc.components.securitySchemes = security;
  return doc;
}

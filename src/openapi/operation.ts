import type { CompiledRoute } from '../http/routing/compile';
import { metadata } from '../metadata/store';
import type { DocMeta } from '../metadata/types';
import type { JsonSchema } from '../schema/index';
import type { SchemaComponents } from './components';
import { routeInputs } from './parameters';
import { successResponses, type OpenApiResponse } from './responses';
import { securityOf, type SecurityUse } from './security';

/** An OpenAPI operation object (the keys Lokstra emits). */
export interface OpenApiOperation {
  operationId: string;
  tags?: string[];
  summary?: string;
  description?: string;
  deprecated?: boolean;
  parameters?: unknown[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, OpenApiResponse | { $ref: string }>;
  security?: Record<string, string[]>[];
}

const MEDIA: Record<string, string> = { json: 'application/json', form: 'application/x-www-form-urlencoded', multipart: 'multipart/form-data' };
const BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Everything an operation is built from besides the route. */
export interface OperationEnv {
  components: SchemaComponents;
  errors: Record<number, { $ref: string }>;
  /** Security schemes the document needs (filled as operations use them). */
  security: SecurityUse;
}

/** `/users/:id` → `/users/{id}`. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z_$][\w$]*)(\([^)]*\))?/g, '{$1}');
}

function docOf(route: CompiledRoute): { doc: DocMeta; tag: string | undefined } {
  const t = route.target;
  if (t?.kind !== 'method') return { doc: {}, tag: undefined };
  const cls = metadata.getDoc(t.controller) ?? {};
  const own = metadata.getDoc(t.controller, t.method) ?? {};
  const tag = t.controller.name.replace(/Controller$/, '') || t.controller.name;
  return { doc: { ...cls, ...own, tags: own.tags ?? cls.tags }, tag };
}

/** The generated operationId: `<Controller>_<method>`, or `<verb>_<path>` for function handlers. */
function defaultOperationId(route: CompiledRoute): string {
  const t = route.target;
  if (t?.kind === 'method') return `${t.controller.name}_${String(t.method)}`;
  const path = route.url.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '');
  return `${route.method.toLowerCase()}_${path || 'root'}`;
}

function pathParameters(url: string): string[] {
  return [...url.matchAll(/:([A-Za-z_$][\w$]*)/g)].map((m) => m[1] as string);
}

/** Builds the operation of one compiled route. */
export function buildOperation(route: CompiledRoute, env: OperationEnv): OpenApiOperation {
  const { doc, tag } = docOf(route);
  const inputs = routeInputs(route.target, env.components);
  const inPath = pathParameters(route.url);
  const seen = new Set<string>();
  const parameters = inputs.parameters.filter((p) => {
    const key = `${p.in}:${p.name}`;
    if (seen.has(key) || (p.in === 'path' && !inPath.includes(p.name))) return false;
    seen.add(key);
    return true;
  });
  for (const name of inPath) if (!seen.has(`path:${name}`)) parameters.push({ name, in: 'path', required: true, schema: { type: 'string' } });
  const returns = route.target?.kind === 'method' ? metadata.getReturns(route.target.controller, route.target.method) : [];
  const responses: OpenApiOperation['responses'] = { ...successResponses(returns, env.components, route.scope.envelope) };
  const hasBody = inputs.body !== undefined && !BODYLESS.has(route.method);
  const err = (status: number): void => { responses[String(status)] = env.errors[status] as { $ref: string }; };
  if (parameters.length > 0 || hasBody) err(400);
  const security = securityOf(route.middleware, env.security);
  for (const status of security.statuses) err(status);
  if (inPath.length > 0) err(404);
  if (hasBody) { err(413); err(415); }
  err(500);
  const tags = doc.tags ?? (tag === undefined ? undefined : [tag]);
  const op = { operationId: doc.operation_id ?? defaultOperationId(route) } as OpenApiOperation;
  if (tags !== undefined) op.tags = tags;
  if (doc.summary !== undefined) op.summary = doc.summary;
  if (doc.description !== undefined) op.description = doc.description;
  if (doc.deprecated === true) op.deprecated = true;
  if (parameters.length > 0) op.parameters = parameters;
  if (hasBody) {
    const content: Record<string, { schema: JsonSchema }> = {};
    for (const kind of route.accepts ?? ['json', 'form']) if (MEDIA[kind] !== undefined) content[MEDIA[kind]] = { schema: inputs.body as JsonSchema };
    op.requestBody = { required: inputs.bodyRequired, content };
  }
  op.responses = responses;
  if (security.requirement !== undefined) op.security = [security.requirement];
  return op;
}

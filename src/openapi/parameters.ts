import { Context } from '../http/context';
import { resolveTarget } from '../http/binding/target-type';
import type { RouteTarget } from '../http/routing/compile';
import { metadata } from '../metadata/store';
import type { ParamMeta } from '../metadata/types';
import type { Class } from '../internal/types';
import type { JsonSchema } from '../schema/index';
import type { SchemaComponents } from './components';

/** An OpenAPI parameter object. */
export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
}

/** What a route reads from the request: its parameters and, if any, its body schema. */
export interface RouteInputs {
  parameters: OpenApiParameter[];
  body: JsonSchema | undefined;
  /** A whole-body DTO or a required body field: the body cannot be left out. */
  bodyRequired: boolean;
}

const SCALAR: Record<string, JsonSchema> = {
  string: { type: 'string' }, number: { type: 'number' }, integer: { type: 'integer' }, boolean: { type: 'boolean' },
  date: { type: 'string', format: 'date-time' }, any: {},
};

function isDtoClass(type: unknown, components: SchemaComponents): type is Class {
  if (typeof type !== 'function' || [Object, Array, String, Number, Boolean, Date, Context].includes(type as never)) return false;
  const c = components.dto(type as Class);
  return Object.keys((c.schema.properties ?? {}) as object).length > 0 || c.parameters.length > 0;
}

function valueSchema(type: unknown, meta: Extract<ParamMeta, { kind: 'source' }>, components: SchemaComponents): JsonSchema {
  const t = resolveTarget(type, meta.options);
  if (t.array) return { type: 'array', items: SCALAR[t.element] ?? {} };
  if (t.nested !== undefined) return components.ref(t.nested);
  return SCALAR[t.kind] ?? {};
}

// `@IsOptional()` admits null in a body; a parameter is a string on the wire and is simply absent instead.
function withoutNull(schema: JsonSchema): JsonSchema {
  const any = schema.anyOf as JsonSchema[] | undefined;
  if (Object.keys(schema).length !== 1 || any?.length !== 2 || JSON.stringify(any[0]) !== '{"type":"null"}') return schema;
  return any[1] as JsonSchema;
}

function addDto(cls: Class, out: RouteInputs, bodyParts: JsonSchema[], components: SchemaComponents): void {
  const c = components.dto(cls);
  for (const p of c.parameters) out.parameters.push({ name: p.name, in: p.in, required: p.required || p.in === 'path', schema: withoutNull(p.schema) });
  if (Object.keys((c.schema.properties ?? {}) as object).length > 0) {
    bodyParts.push(components.ref(cls));
    if (((c.schema.required ?? []) as unknown[]).length > 0) out.bodyRequired = true;
  }
}

function addParam(meta: ParamMeta | undefined, type: unknown, st: { out: RouteInputs; fields: Record<string, JsonSchema>; required: string[]; parts: JsonSchema[]; components: SchemaComponents }): void {
  const { out, components } = st;
  if (meta?.kind === 'ctx' || meta?.kind === 'custom' || (meta === undefined && type === Context)) return;
  if (meta?.kind === 'bind' || meta === undefined) {
    const dto = (meta?.kind === 'bind' ? meta.dto : undefined) ?? type;
    if (isDtoClass(dto, components)) addDto(dto, out, st.parts, components);
    return;
  }
  if (meta.source === 'body' && meta.name === undefined) {
    st.parts.push(isDtoClass(type, components) ? components.ref(type) : {});
    out.bodyRequired = true;
    return;
  }
  if (meta.name === undefined) return;
  const schema = valueSchema(type, meta, components);
  const required = meta.source === 'path' || meta.options.required === true;
  if (meta.source === 'body') {
    st.fields[meta.name] = schema;
    if (required) st.required.push(meta.name);
  } else out.parameters.push({ name: meta.name, in: meta.source, required, schema });
}

/** The parameters and body a route's handler binds (`@Path`/`@Query`/`@Header`/`@Body`, DTOs, `bind(Dto, fn)`). */
export function routeInputs(target: RouteTarget | undefined, components: SchemaComponents): RouteInputs {
  const out: RouteInputs = { parameters: [], body: undefined, bodyRequired: false };
  if (target === undefined) return out;
  const st = { out, fields: {} as Record<string, JsonSchema>, required: [] as string[], parts: [] as JsonSchema[], components };
  if (target.kind === 'bind') addDto(target.dto, out, st.parts, components);
  else {
    const proto = target.controller.prototype as object;
    const types = metadata.paramTypes(proto, target.method);
    const declared = new Map(metadata.getParams(proto, target.method).map((p) => [p.index, p]));
    const count = Math.max(types.length, ...[...declared.keys()].map((i) => i + 1), 0);
    for (let i = 0; i < count; i++) addParam(declared.get(i), types[i], st);
  }
  if (Object.keys(st.fields).length > 0) {
    st.parts.push({ type: 'object', properties: st.fields, ...(st.required.length > 0 ? { required: st.required } : {}) });
    if (st.required.length > 0) out.bodyRequired = true;
  }
  out.body = st.parts.length === 0 ? undefined : st.parts.length === 1 ? st.parts[0] : { allOf: st.parts };
  return out;
}

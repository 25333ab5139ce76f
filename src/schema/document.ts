import type { Class } from '../internal/types';
import { readClass, type PropertyModel } from './class-model';
import { DefNames, mergeFragments, orNull, ruleSchema } from './emit';
import type { CompiledDtoSchema, DtoParameter, JsonSchema } from './types';

interface State { root: Class; defs: Record<string, JsonSchema>; names: DefNames; unsupported: string[]; exact: boolean }

const DATE_TIME: JsonSchema = { type: 'string', format: 'date-time' };

function typeHint(prop: PropertyModel): JsonSchema {
  switch (prop.designType) {
    case String: return { type: 'string' };
    case Number: return { type: 'number' };
    case Boolean: return { type: 'boolean' };
    case Date: return DATE_TIME;
    case Array: return { type: 'array' };
    default: return {};
  }
}

function unsupported(st: State, what: string): void {
  st.exact = false;
  st.unsupported.push(what);
}

function refTo(cls: Class, st: State): JsonSchema {
  if (cls === st.root) return { $ref: '#' };
  const { name, fresh } = st.names.of(cls);
  if (fresh) {
    st.defs[name] = {};
    st.defs[name] = objectSchema(cls, st, readClass(cls).properties);
  }
  return { $ref: `#/$defs/${name}` };
}

function propertySchema(cls: Class, prop: PropertyModel, st: State): { schema: JsonSchema; required: boolean } {
  const fragments: JsonSchema[] = [];
  for (const m of prop.rules) {
    const r = ruleSchema(cls, m, 'document');
    if (!r.exact) unsupported(st, `${cls.name}.${prop.property}: ${r.name}`);
    if (Object.keys(r.schema).length > 0) fragments.push(r.schema);
  }
  if (prop.conditions.length > 0) unsupported(st, `${cls.name}.${prop.property}: validateIf`);
  if (prop.defined.length > 0) fragments.push({ not: { type: 'null' } });
  if (prop.nested !== undefined) {
    const ref = refTo(prop.nested.cls, st);
    fragments.push(prop.nested.array ? { type: 'array', items: ref } : ref);
  }
  if (!fragments.some((f) => 'type' in f || '$ref' in f || 'enum' in f || 'const' in f)) fragments.unshift(typeHint(prop));
  const merged = mergeFragments(fragments);
  const required = !prop.optional && prop.conditions.length === 0 && (prop.defined.length > 0 || prop.rules.length > 0 || prop.source === 'path');
  return { schema: prop.optional ? orNull(merged) : merged, required };
}

function objectSchema(cls: Class, st: State, properties: PropertyModel[]): JsonSchema {
  const props: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const prop of properties) {
    const p = propertySchema(cls, prop, st);
    props[prop.key] = p.schema;
    if (p.required) required.push(prop.key);
  }
  return { type: 'object', properties: props, ...(required.length > 0 ? { required } : {}) };
}

/**
 * Compiles a DTO class (Lokstra's `@Path`/`@Query`/`@Header`/`@Body` properties, class-validator
 * rules, class-transformer `@Type`) into one JSON Schema 2020-12 document, at boot. Body properties
 * form `schema` (by wire name; nested DTO classes under `$defs`), the others `parameters`. Rules
 * without an exact equivalent (`isEmail`, custom rules…) are described (`format: email`) and listed
 * in `unsupported`. Shared by validation, OpenAPI and response serialisers.
 * @example
 * const { schema, parameters, exact, unsupported } = compileDtoSchema(CreateUserDto);
 */
export function compileDtoSchema(cls: Class): CompiledDtoSchema {
  const st: State = { root: cls, defs: {}, names: new DefNames(), unsupported: [], exact: true };
  st.names.of(cls);
  const model = readClass(cls);
  for (const problem of model.problems) unsupported(st, problem);
  const body = model.properties.filter((p) => p.source === 'body');
  const root = objectSchema(cls, st, body);
  const parameters: DtoParameter[] = model.properties.filter((p) => p.source !== 'body').map((p) => {
    const { schema, required } = propertySchema(cls, p, st);
    return { in: p.source as DtoParameter['in'], name: p.key, property: p.property, required, schema };
  });
  const schema = { $schema: 'https://json-schema.org/draft/2020-12/schema', title: cls.name, ...root, ...(Object.keys(st.defs).length > 0 ? { $defs: st.defs } : {}) };
  return { schema, parameters, exact: st.exact, unsupported: st.unsupported };
}

import type { Class } from '../internal/types';
import { readClass, type PropertyModel, type ValidationMetadata } from './class-model';
import { DefNames, mergeFragments, orNull, ruleSchema } from './emit';
import type { JsonSchema } from './types';

/** Rules of one property that run as direct calls (no exact JSON-Schema equivalent). */
export interface DirectCheck {
  property: string;
  /** `@IsOptional()`: null/undefined skip the checks. */
  optional: boolean;
  /** `@ValidateIf` conditions: any false skips the checks. */
  conditions: ValidationMetadata[];
  /** Rules to call, `@IsDefined` included when the property is checked directly as a whole. */
  rules: ValidationMetadata[];
}

/** What the validation fast path needs per class besides the schema. */
export interface ClassPlan {
  cls: Class;
  /** Properties `whitelist` keeps. */
  allowed: Set<string>;
  direct: DirectCheck[];
  nested: { property: string; cls: Class; array: boolean }[];
}

/** The instance-level validation schema of a DTO (by property name) and its per-class plans. */
export interface ValidationCompilation {
  /** JSON Schema 2020-12 of exactly the rules with an exact equivalent; nested classes in `$defs`. */
  schema: JsonSchema;
  plans: Map<Class, ClassPlan>;
  /** Rules called directly, as `Class.property: rule`. */
  direct: string[];
  /** Non-empty: the DTO cannot be expressed; class-validator alone must validate it. */
  problems: string[];
}

interface State { root: Class; rootName?: string; defs: Record<string, JsonSchema>; names: DefNames; out: ValidationCompilation }

function propertySchema(cls: Class, prop: PropertyModel, plan: ClassPlan, st: State): { schema: JsonSchema; required: boolean } | undefined {
  const where = `${cls.name}.${prop.property}`;
  if (prop.conditions.length > 0) {
    plan.direct.push({ property: prop.property, optional: prop.optional, conditions: prop.conditions, rules: [...prop.defined, ...prop.rules] });
    st.out.direct.push(`${where}: validateIf`);
    return undefined;
  }
  const fragments: JsonSchema[] = [];
  const direct: ValidationMetadata[] = [];
  for (const m of prop.rules) {
    const r = ruleSchema(cls, m, 'validation');
    if (r.exact) fragments.push(r.schema);
    else {
      direct.push(m);
      st.out.direct.push(`${where}: ${r.name}`);
    }
  }
  const exactRules = fragments.length;
  if (prop.defined.length > 0) fragments.push({ not: { type: 'null' } });
  if (prop.nested !== undefined) {
    const ref = { $ref: `#/$defs/${classDef(prop.nested.cls, st)}` };
    fragments.push(prop.nested.array ? { type: 'array', items: ref } : ref);
    plan.nested.push({ property: prop.property, ...prop.nested });
  }
  if (direct.length > 0) plan.direct.push({ property: prop.property, optional: prop.optional, conditions: [], rules: direct });
  if (fragments.length === 0) return undefined;
  const merged = mergeFragments(fragments);
  return { schema: prop.optional ? orNull(merged) : merged, required: !prop.optional && (prop.defined.length > 0 || exactRules > 0) };
}

function classSchema(cls: Class, st: State): JsonSchema {
  const model = readClass(cls);
  st.out.problems.push(...model.problems);
  const plan: ClassPlan = { cls, allowed: model.allowed, direct: [], nested: [] };
  st.out.plans.set(cls, plan);
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const prop of model.properties) {
    const p = propertySchema(cls, prop, plan, st);
    if (p === undefined) continue;
    properties[prop.property] = p.schema;
    if (p.required) required.push(prop.property);
  }
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
}

// A recursive reference to the root class goes through `$defs` too (the root is copied there).
function classDef(cls: Class, st: State): string {
  const { name, fresh } = st.names.of(cls);
  if (cls === st.root) st.rootName = name;
  else if (fresh) {
    st.defs[name] = {};
    st.defs[name] = classSchema(cls, st);
  }
  return name;
}

/**
 * Compiles the validation schema of a DTO: the rules with an exact JSON-Schema equivalent, applied
 * to the instance class-transformer builds (properties by name). Everything else is listed as a
 * direct check, or — for constructs no schema can express — as a problem.
 */
export function compileValidation(cls: Class): ValidationCompilation {
  const out: ValidationCompilation = { schema: {}, plans: new Map(), direct: [], problems: [] };
  const st: State = { root: cls, defs: {}, names: new DefNames(), out };
  st.names.of(cls);
  const root = classSchema(cls, st);
  if (st.rootName !== undefined) st.defs[st.rootName] = root;
  out.schema = { $schema: 'https://json-schema.org/draft/2020-12/schema', ...root, ...(Object.keys(st.defs).length > 0 ? { $defs: st.defs } : {}) };
  return out;
}

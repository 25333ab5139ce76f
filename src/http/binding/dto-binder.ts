import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage } from 'class-validator';
import { metadata } from '../../metadata/store';
import type { BindSource } from '../../metadata/types';
import type { Class } from '../../internal/types';
import { convertJson, convertString, FAIL, type TargetType } from './convert';
import type { FieldErrorCollector } from './errors';
import { fastPathEnabled } from './fast-validator';
import { compileInstantiate, type Instantiate } from './instantiate';
import type { RequestSources } from './sources';
import { resolveTarget } from './target-type';
import { checkDtoMetadata, MetadataWarnings, type BootWarn, type DeclaredMember } from './type-warnings';
import { buildValidator, inspectRules, type DtoValidator } from './validator';

interface FieldPlan {
  property: string;
  source: BindSource;
  key: string;
  target: TargetType;
  required: boolean;
}

/** Everything needed to bind one DTO class, computed once. */
export interface DtoPlan {
  cls: Class;
  fields: FieldPlan[];
  /** No declared property at all: a pure shape class that takes the whole body. */
  shapeOnly: boolean;
  validator: DtoValidator | undefined;
  /** Builds the instance: `new cls()` + assignment when class-transformer adds nothing, else `plainToInstance`. */
  instantiate: Instantiate;
  /** The cache nested DTO plans are taken from (nested classes are checked field by field too). */
  plans: DtoPlanCache;
}

/** Which sources a bind reads: one of them, or all. */
export type BindScope = BindSource | 'all';

const SCALAR_CTORS = new Set<unknown>([String, Number, Boolean, Date, Object, Array]);

// `@Type(() => Item)` names the element class of `items: Item[]` (design:type says only Array).
function withNestedType(target: TargetType, cls: Class, property: string): TargetType {
  if (target.kind !== 'any' || target.nested !== undefined) return target;
  const nested = defaultMetadataStorage.findTypeMetadata(cls, property)?.typeFunction();
  if (typeof nested !== 'function' || SCALAR_CTORS.has(nested)) return target;
  return { ...target, nested: nested as Class };
}

/** Compiles a DTO class's binding plan from Lokstra's, class-validator's and TypeScript's metadata. */
export function compileDto(cls: Class, plans: DtoPlanCache = new DtoPlanCache()): DtoPlan {
  const rules = inspectRules(cls);
  const proto = cls.prototype as object;
  const members: (DeclaredMember & { key: string; required: boolean })[] = metadata.getProperties(cls).map((p) => ({
    property: p.property,
    source: p.source,
    options: p.options,
    key: p.source === 'header' ? p.name.toLowerCase() : p.name,
    required: p.source === 'path' || p.options.required === true,
  }));
  const declared = new Set(members.map((f) => f.property));
  const ruleProps = new Set(getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false).map((m) => m.propertyName));
  for (const property of ruleProps) {
    if (!declared.has(property)) members.push({ property, source: 'body', options: {}, key: property, required: false });
  }
  checkDtoMetadata(cls, members, rules.hints, plans.warnings);
  const fields: FieldPlan[] = members.map(({ property, source, key, required, options }) => ({
    property, source, key, required,
    target: withNestedType(resolveTarget(metadata.designType(proto, property), options, rules.hints.get(property)), cls, property),
  }));
  const instantiate = compileInstantiate(cls, fastPathEnabled());
  return { cls, fields, shapeOnly: fields.length === 0, validator: buildValidator(cls, rules), instantiate, plans };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readSource(src: RequestSources, field: FieldPlan): unknown {
  switch (field.source) {
    case 'path': return src.params[field.key];
    case 'query': return src.query[field.key];
    case 'header': return src.headers[field.key];
    case 'body': return isPlainObject(src.body) ? src.body[field.key] : undefined;
  }
}

function convertField(plan: DtoPlan, src: RequestSources, field: FieldPlan, raw: unknown, errors: FieldErrorCollector): unknown {
  if (field.source === 'body' && (src.bodyKind === 'json' || field.target.nested !== undefined)) {
    return convertBodyValue(raw, field.target, field.property, errors, plan.plans);
  }
  const fail = errors.at(field.property);
  if (field.target.kind === 'object' && field.source === 'body') return convertJson(raw, field.target, field.property, fail);
  return convertString(raw as string | string[], field.target, field.property, fail);
}

/**
 * Checks a body value against its target like {@link convertJson}; a nested DTO (`@Type(() => X)`,
 * or a class-typed property) and each element of an array of them is checked field by field with the
 * same rules, failures reported under the nested path (`items[2].tags`).
 */
export function convertBodyValue(raw: unknown, target: TargetType, path: string, errors: FieldErrorCollector, plans: DtoPlanCache): unknown {
  const nested = target.nested;
  if (nested === undefined || raw === null || raw === undefined) return convertJson(raw, target, path, errors.at(path));
  if (!target.array) return convertNested(raw, plans.get(nested), path, errors);
  if (!Array.isArray(raw)) return errors.add(path, `${path} must be an array`, 'isArray'), FAIL;
  const plan = plans.get(nested);
  let failed = false;
  const out = raw.map((el, i) => {
    const v = convertNested(el, plan, `${path}[${i}]`, errors);
    if (v === FAIL) failed = true;
    return v;
  });
  return failed ? FAIL : out;
}

function convertNested(raw: unknown, plan: DtoPlan, path: string, errors: FieldErrorCollector): unknown {
  if (!isPlainObject(raw)) return errors.add(path, `${path} must be an object`, 'isObject'), FAIL;
  const out: Record<string, unknown> = { ...raw };
  let failed = false;
  for (const field of plan.fields) {
    if (field.source !== 'body') continue;
    const value = raw[field.key];
    if (field.key !== field.property) delete out[field.key];
    const at = `${path}.${field.property}`;
    if (value === undefined) {
      delete out[field.property];
      if (field.required) errors.add(at, `${at} is required`, 'isDefined');
      continue;
    }
    const v = convertBodyValue(value, field.target, at, errors, plan.plans);
    if (v === FAIL) failed = true;
    else out[field.property] = v;
  }
  return failed ? FAIL : out;
}

/**
 * Binds a DTO instance from the request. Conversion failures and (when `validate`) class-validator
 * failures are added to `errors`; the caller throws. Returns a Promise only for async validators.
 */
export function bindDto(plan: DtoPlan, src: RequestSources, scope: BindScope, errors: FieldErrorCollector, validate: boolean): object | Promise<object> {
  const plain: Record<string, unknown> = {};
  const readsBody = scope === 'all' || scope === 'body';
  if (readsBody && src.bodyKind !== 'none') {
    if (!isPlainObject(src.body)) errors.add('body', 'body must be an object', 'isObject');
    else if (plan.shapeOnly || plan.validator !== undefined) Object.assign(plain, src.body);
  }
  for (const field of plan.fields) {
    if (scope !== 'all' && field.source !== scope) continue;
    if (field.source === 'body' && !readsBody) continue;
    const raw = readSource(src, field);
    if (field.key !== field.property) delete plain[field.key];
    if (raw === undefined) {
      delete plain[field.property];
      if (field.required) errors.add(field.property, `${field.property} is required`, 'isDefined');
      continue;
    }
    const value = convertField(plan, src, field, raw, errors);
    if (value !== FAIL) plain[field.property] = value;
  }
  // Fields that failed conversion keep their conversion message; other fields are still validated,
  // so one request reports every problem.
  errors.sealConversionFailures();
  const instance = plan.instantiate(plain);
  if (!validate || plan.validator === undefined) return instance;
  const done = plan.validator(instance, errors);
  return done instanceof Promise ? done.then(() => instance) : instance;
}

/** A per-instance cache of compiled DTO plans. */
export class DtoPlanCache {
  private readonly plans = new Map<Class, DtoPlan>();
  /** Boot-time metadata warnings, each given once (silent without a sink). */
  readonly warnings: MetadataWarnings;

  constructor(warn?: BootWarn) {
    this.warnings = new MetadataWarnings(warn);
  }

  get(cls: Class): DtoPlan {
    let plan = this.plans.get(cls);
    if (plan === undefined) {
      plan = compileDto(cls, this);
      this.plans.set(cls, plan);
    }
    return plan;
  }
}

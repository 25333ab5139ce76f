import type Ajv2020 from 'ajv/dist/2020';
import { getMetadataStorage, type ValidationArguments, type ValidatorConstraintInterface } from 'class-validator';
import { optional } from '../../internal/optional';
import type { Class } from '../../internal/types';
import { compileValidation, type ClassPlan, type DirectCheck } from '../../schema';

/** Decides quickly that an instance is valid; `false` means "ask class-validator" (never "invalid" for sure). */
export type FastCheck = (instance: object) => boolean;

type Obj = Record<string, unknown>;
interface DirectRule { meta: DirectCheck['rules'][number]; validators: ValidatorConstraintInterface[] }
interface Direct { check: DirectCheck; rules: DirectRule[] }
interface Plan { cls: Class; plan: ClassPlan; direct: Direct[] }

let shared: Ajv2020 | undefined;
function ajv(): Ajv2020 {
  if (shared === undefined) {
    // Loaded on first use: apps without DTO rules never load ajv.
    const Ajv = optional.ajv2020();
    // strictNumbers: NaN and ±Infinity are not numbers, as in class-validator's isNumber/isInt.
    shared = new Ajv({ strict: false, strictNumbers: true, allErrors: false, validateFormats: false, addUsedSchema: false });
  }
  return shared;
}

/** `LOKSTRA_VALIDATION_FAST_PATH=0` turns the fast path off (A/B measurements, bug hunting). */
export function fastPathEnabled(): boolean {
  return process.env.LOKSTRA_VALIDATION_FAST_PATH !== '0';
}

function runRule(rule: DirectRule, obj: Obj, property: string, value: unknown): boolean {
  const m = rule.meta;
  if (m.validateIf !== undefined && !m.validateIf(obj, value)) return true;
  const args: ValidationArguments = { targetName: obj.constructor?.name, property, object: obj, value, constraints: m.constraints };
  const many = m.each && (Array.isArray(value) || value instanceof Set || value instanceof Map);
  for (const v of rule.validators) {
    // class-validator calls every element; a falsy result is a failure (a Promise is truthy in validateSync).
    const ok = many
      ? Array.from(value instanceof Map ? value.values() : (value as Iterable<unknown>)).map((el) => v.validate(el, args)).every(Boolean)
      : v.validate(value, args);
    if (!ok) return false;
  }
  return true;
}

function runDirect(d: Direct, obj: Obj): boolean {
  const value = obj[d.check.property];
  if (d.check.optional && (value === null || value === undefined)) return true;
  if (!d.check.conditions.map((c) => (c.constraints[0] as (o: object, v: unknown) => boolean)(obj, value)).every(Boolean)) return true;
  return d.rules.every((r) => runRule(r, obj, d.check.property, value));
}

function isA(value: unknown, cls: Class): value is Obj {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === cls.prototype;
}

// What class-validator does besides the schema's rules: `whitelist` strips unknown keys (top-down,
// each object before its rules run), direct rules, and nested DTO instances.
function walk(p: Plan, obj: Obj, plans: Map<Class, Plan>): boolean {
  for (const key of Object.keys(obj)) if (!p.plan.allowed.has(key)) delete obj[key];
  for (const d of p.direct) if (!runDirect(d, obj)) return false;
  for (const n of p.plan.nested) {
    const v = obj[n.property];
    if (v === undefined || v === null) continue;
    const sub = plans.get(n.cls) as Plan;
    const items = Array.isArray(v) ? v : [v];
    for (const el of items) if (!isA(el, n.cls) || !walk(sub, el, plans)) return false;
  }
  return true;
}

function directOf(check: DirectCheck): Direct {
  const storage = getMetadataStorage();
  return {
    check,
    rules: check.rules.map((meta) => ({ meta, validators: storage.getTargetValidatorConstraints(meta.constraintCls).map((c) => c.instance as ValidatorConstraintInterface) })),
  };
}

/** ajv compiles still to do: run on first use, or by {@link warmFastChecks} once the server listens. */
const pending = new Set<() => void>();
let warming = false;

/**
 * Compiles the pending fast paths one per event-loop turn (requests in between are served; a DTO
 * requested before its turn compiles on that request). Called once the listeners are up, so ajv's
 * code generation is not on the way to the first response.
 */
export function warmFastChecks(): void {
  if (warming || pending.size === 0) return;
  warming = true;
  const step = (): void => {
    const next = pending.values().next();
    if (next.done === true) { warming = false; return; }
    next.value();
    setImmediate(step).unref();
  };
  setImmediate(step).unref();
}

/**
 * Compiles the fast path of a synchronous DTO: one ajv function for every rule with an exact
 * JSON-Schema equivalent, direct calls for the others, `whitelist` stripping on success. Returns
 * `undefined` when the DTO has a construct the schema compiler cannot express. The schema is built
 * now (at boot); ajv's code for it on first use or after listening ({@link warmFastChecks}).
 */
export function compileFastCheck(cls: Class): FastCheck | undefined {
  const compiled = compileValidation(cls);
  if (compiled.problems.length > 0) return undefined;
  // undefined: not compiled yet; null: ajv cannot compile it, so class-validator alone decides, as before.
  let validate: ((data: unknown) => boolean) | null | undefined;
  const compile = (): void => {
    pending.delete(compile);
    if (validate !== undefined) return;
    try {
      validate = ajv().compile(compiled.schema);
    } catch {
      validate = null;
    }
  };
  pending.add(compile);
  const plans = new Map<Class, Plan>();
  for (const [c, plan] of compiled.plans) plans.set(c, { cls: c, plan, direct: plan.direct.map(directOf) });
  const root = plans.get(cls) as Plan;
  return (instance) => {
    if (validate === undefined) compile();
    return validate !== null && isA(instance, cls) && (validate as (data: unknown) => boolean)(instance) && walk(root, instance, plans);
  };
}

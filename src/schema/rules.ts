import * as cv from 'class-validator';
import type { JsonSchema, SchemaMode } from './types';

type Constraints = readonly unknown[];

/** A built-in class-validator rule with an exact JSON-Schema equivalent (for some constraint values). */
interface ExactRule {
  /** class-validator's own predicate, used to check at boot that the registered rule is the built-in. */
  ref: (value: unknown, c: Constraints) => boolean;
  /** The equivalent schema, or `undefined` when these constraint values have none. */
  schema: (c: Constraints, mode: SchemaMode) => JsonSchema | undefined;
}

const finite = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);
const count = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
const primitive = (v: unknown): boolean => typeof v === 'string' || typeof v === 'boolean' || finite(v);
const enumOf = (values: unknown[]): JsonSchema | undefined => (values.length > 0 && values.every(primitive) ? { enum: values } : undefined);

// validator.js counts "x\uFE0F" as one character and a surrogate pair as one; ajv counts code points.
// Without U+FE0E/U+FE0F the two agree; with them the fast path declines and class-validator decides.
const NO_VARIATION_SELECTOR: JsonSchema = { not: { pattern: '[\\uFE0E\\uFE0F]' } };
const minText = (min: number, mode: SchemaMode): JsonSchema =>
  (mode === 'validation' && min > 0 ? { minLength: min, ...NO_VARIATION_SELECTOR } : { minLength: min });

function numberOptions(c: Constraints): boolean {
  const o = (c[0] ?? {}) as cv.IsNumberOptions;
  return !o.allowNaN && !o.allowInfinity && o.maxDecimalPlaces === undefined;
}

const RULES: Record<string, ExactRule> = {
  isString: { ref: (v) => cv.isString(v), schema: () => ({ type: 'string' }) },
  isNumber: { ref: (v, c) => cv.isNumber(v, c[0] as cv.IsNumberOptions), schema: (c) => (numberOptions(c) ? { type: 'number' } : undefined) },
  isInt: { ref: (v) => cv.isInt(v), schema: () => ({ type: 'integer' }) },
  isBoolean: { ref: (v) => cv.isBoolean(v), schema: () => ({ type: 'boolean' }) },
  isArray: { ref: (v) => cv.isArray(v), schema: () => ({ type: 'array' }) },
  isObject: { ref: (v) => cv.isObject(v), schema: () => ({ type: 'object' }) },
  isEnum: { ref: (v, c) => cv.isEnum(v, c[0]), schema: (c) => enumOf(Object.values(c[0] as object)) },
  isIn: { ref: (v, c) => cv.isIn(v, c[0] as unknown[]), schema: (c) => (Array.isArray(c[0]) ? enumOf(c[0]) : undefined) },
  equals: { ref: (v, c) => cv.equals(v, c[0]), schema: (c) => (primitive(c[0]) ? { const: c[0] } : undefined) },
  isNotEmpty: { ref: (v) => cv.isNotEmpty(v), schema: () => ({ not: { enum: ['', null] } }) },
  minLength: { ref: (v, c) => cv.minLength(v, c[0] as number), schema: (c, m) => (count(c[0]) ? { type: 'string', ...minText(c[0], m) } : undefined) },
  maxLength: { ref: (v, c) => cv.maxLength(v, c[0] as number), schema: (c) => (count(c[0]) ? { type: 'string', maxLength: c[0] } : undefined) },
  isLength: {
    ref: (v, c) => cv.length(v, c[0] as number, c[1] as number),
    schema: (c, m) => (count(c[0]) && (c[1] === undefined || count(c[1]))
      ? { type: 'string', ...minText(c[0], m), ...(c[1] === undefined ? {} : { maxLength: c[1] }) } : undefined),
  },
  min: { ref: (v, c) => cv.min(v, c[0] as number), schema: (c) => (finite(c[0]) ? { type: 'number', minimum: c[0] } : undefined) },
  max: { ref: (v, c) => cv.max(v, c[0] as number), schema: (c) => (finite(c[0]) ? { type: 'number', maximum: c[0] } : undefined) },
  isPositive: { ref: (v) => cv.isPositive(v), schema: () => ({ type: 'number', exclusiveMinimum: 0 }) },
  isNegative: { ref: (v) => cv.isNegative(v), schema: () => ({ type: 'number', exclusiveMaximum: 0 }) },
  arrayMinSize: { ref: (v, c) => cv.arrayMinSize(v, c[0] as number), schema: (c) => (count(c[0]) ? { type: 'array', minItems: c[0] } : undefined) },
  arrayMaxSize: { ref: (v, c) => cv.arrayMaxSize(v, c[0] as number), schema: (c) => (count(c[0]) ? { type: 'array', maxItems: c[0] } : undefined) },
  arrayNotEmpty: { ref: (v) => cv.arrayNotEmpty(v), schema: () => ({ type: 'array', minItems: 1 }) },
};

/** Descriptive (inexact) schemas for documents: what the rule means, not what it checks byte for byte. */
const DESCRIPTIVE: Record<string, (c: Constraints) => JsonSchema> = {
  isEmail: () => ({ type: 'string', format: 'email' }),
  isUuid: () => ({ type: 'string', format: 'uuid' }),
  isUrl: () => ({ type: 'string', format: 'uri' }),
  isDateString: () => ({ type: 'string', format: 'date-time' }),
  isIso8601: () => ({ type: 'string', format: 'date-time' }),
  isDate: () => ({ type: 'string', format: 'date-time' }),
  isIp: () => ({ type: 'string', format: 'ipv4' }),
  matches: (c) => ({ type: 'string', pattern: c[0] instanceof RegExp ? c[0].source : String(c[0]) }),
  isNumber: () => ({ type: 'number' }),
};

/** Names of the rules that can compile to JSON Schema (for the docs and tests). */
export const EXACT_RULE_NAMES: readonly string[] = Object.keys(RULES);

/** The exact JSON-Schema equivalent of a built-in rule with these constraints, if any. */
export function exactRuleSchema(name: string, c: Constraints, mode: SchemaMode): JsonSchema | undefined {
  return RULES[name]?.schema(c, mode);
}

/** class-validator's own predicate for a rule with an exact equivalent (boot-time identity probe). */
export function referencePredicate(name: string): ((value: unknown, c: Constraints) => boolean) | undefined {
  return RULES[name]?.ref;
}

/** A document-only description of a rule without an exact equivalent (`{}` when nothing is known). */
export function descriptiveSchema(name: string, c: Constraints): JsonSchema {
  return DESCRIPTIVE[name]?.(c) ?? {};
}

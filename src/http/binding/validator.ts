import { getMetadataStorage, validate, validateSync, type ValidationError, type ValidatorOptions } from 'class-validator';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { LokstraError } from '../../errors/lokstra-error';
import { isSecretKey } from '../../internal/secrets';
import type { Class } from '../../internal/types';
import type { ScalarKind } from './convert';
import type { FieldErrorCollector } from './errors';
import { installConstraintInjection, needsInjection } from './constraint-injection';
import { compileFastCheck, fastPathEnabled } from './fast-validator';

const OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: true },
};

// Types that only mark a property (whitelist) or make others conditional; they are not rules.
const NOT_RULES = new Set(['whitelistValidation', 'conditionalValidation']);

/** A compiled validator for one DTO class: sync unless one of its rules is async. */
export type DtoValidator = (instance: object, errors: FieldErrorCollector) => void | Promise<void>;

interface RuleInfo {
  hasRules: boolean;
  isAsync: boolean;
  /** Scalar kinds implied by rules (`@IsInt` → integer…), used when `design:type` says nothing. */
  hints: Map<string, ScalarKind>;
}

const HINTS: Record<string, ScalarKind> = { isInt: 'integer', isNumber: 'number', isBoolean: 'boolean', isDate: 'date', isString: 'string' };

/** Reads class-validator's metadata for a DTO once: whether it has rules, async rules, and `@IsInt` properties. */
export function inspectRules(cls: Class, seen = new Set<Class>()): RuleInfo {
  const storage = getMetadataStorage();
  const metas = storage.getTargetValidationMetadatas(cls, '', true, false);
  const info: RuleInfo = { hasRules: false, isAsync: false, hints: new Map() };
  seen.add(cls);
  for (const m of metas) {
    if (NOT_RULES.has(m.type)) continue;
    info.hasRules = true;
    if (m.type === 'customValidation') {
      const constraint = storage.getTargetValidatorConstraints(m.constraintCls)[0];
      if (constraint?.async) info.isAsync = true;
      if (needsInjection(m.constraintCls)) installConstraintInjection();
      const hint = HINTS[m.name ?? ''] ?? HINTS[constraint?.name ?? ''];
      if (hint !== undefined && info.hints.get(m.propertyName) !== 'integer') info.hints.set(m.propertyName, hint);
    }
    if (m.type === 'nestedValidation') info.isAsync = info.isAsync || nestedIsAsync(cls, m.propertyName, seen);
  }
  return info;
}

function nestedIsAsync(cls: Class, property: string, seen: Set<Class>): boolean {
  const typeMeta = defaultMetadataStorage.findTypeMetadata(cls, property);
  if (typeMeta === undefined) {
    throw new LokstraError('LKS_ERR_DECORATOR_NESTED_TYPE', { target: cls.name, property });
  }
  const nested = typeMeta.typeFunction() as Class | undefined;
  if (typeof nested !== 'function' || seen.has(nested)) return false;
  return inspectRules(nested, seen).isAsync;
}

/** Builds the validator of a DTO class, or `undefined` when it has no class-validator rules. */
export function buildValidator(cls: Class, info: RuleInfo = inspectRules(cls)): DtoValidator | undefined {
  if (!info.hasRules) return undefined;
  if (info.isAsync) {
    return async (instance, errors) => collect(await validate(instance, OPTIONS), errors);
  }
  const slow: DtoValidator = (instance, errors) => collect(validateSync(instance, OPTIONS), errors);
  // The fast path only decides "valid"; any failure (or an earlier conversion error) runs
  // class-validator, so error envelopes are class-validator's own.
  const fast = fastPathEnabled() ? compileFastCheck(cls) : undefined;
  if (fast === undefined) return slow;
  return (instance, errors) => (errors.empty && fast(instance) ? undefined : slow(instance, errors));
}

function collect(list: ValidationError[], errors: FieldErrorCollector, prefix = '', parentIsArray = false): void {
  for (const e of list) {
    const path = prefix === '' ? e.property : parentIsArray ? `${prefix}[${e.property}]` : `${prefix}.${e.property}`;
    if (e.constraints) {
      for (const [name, message] of Object.entries(e.constraints)) {
        errors.add(path || 'body', redact(message, e), name);
      }
    }
    if (e.children && e.children.length > 0) collect(e.children, errors, path, Array.isArray(e.value));
  }
}

function redact(message: string, e: ValidationError): string {
  if (!isSecretKey(e.property)) return message;
  const value = e.value;
  if (typeof value === 'string' && value.length > 0) return message.split(value).join('[REDACTED]');
  return message;
}

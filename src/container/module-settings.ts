import { optional } from '../internal/optional';
import { validateSync, type ValidationError } from 'class-validator';
import { formatPosition, positionOf } from '../config/positions';
import type { LokstraConfig, ModuleConfig } from '../config/types';
import { LokstraError } from '../errors/lokstra-error';
import { isSecretKey } from '../internal/secrets';
import type { Newable } from '../internal/types';
import { isDefinedModule } from '../metadata/defined-module';
import type { Registry } from './registry';
import type { ServiceContainer } from './service-container';

// Type checks come before range/format checks, whatever the decorator order: "must be an integer"
// explains a string better than "must not be less than 1".
const TYPE_CONSTRAINTS = new Set([
  'whitelistValidation', 'isDefined', 'isString', 'isNumber', 'isInt', 'isBoolean', 'isDate', 'isArray', 'isObject', 'isEnum', 'nestedValidation',
]);

function orderedConstraints(constraints: Record<string, string>): string[] {
  // class-validator lists constraints in decorator application order (bottom-up): reverse it to source order.
  const keys = Object.keys(constraints).reverse();
  const sorted = [...keys.filter((k) => TYPE_CONSTRAINTS.has(k)), ...keys.filter((k) => !TYPE_CONSTRAINTS.has(k))];
  return sorted.map((k) => constraints[k] as string);
}

function firstMessage(errors: ValidationError[], prefix = ''): { path: string; text: string } | undefined {
  for (const e of errors) {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints) {
      const text = orderedConstraints(e.constraints).join('; ') || 'invalid';
      return { path, text: isSecretKey(e.property) && typeof e.value === 'string' ? text.split(e.value).join('[REDACTED]') : text };
    }
    const nested = firstMessage(e.children ?? [], path);
    if (nested) return nested;
  }
  return undefined;
}

interface FailAt {
  config: LokstraConfig;
  module: string;
  /** The module's index in `config.modules`, or -1 when it was given in code only. */
  index: number;
  source: string | undefined;
}

function fail(at: FailAt, sub: string, text: string): never {
  const keys = sub ? sub.split('.') : [];
  const tail = `.settings${sub ? '.' + sub : ''}`;
  if (at.index < 0) {
    throw new LokstraError('LKS_ERR_CONFIG_INVALID', {
      path: `modules[name=${at.module}]${tail}`,
      detail: `module '${at.module}' (given in code, with no modules entry in the config, so its settings are empty): ${text}`,
    });
  }
  const pos = formatPosition(positionOf(at.config, ['modules', at.index, 'settings', ...keys]), at.source ?? 'config');
  throw new LokstraError('LKS_ERR_CONFIG_INVALID', { path: `${pos} modules[${at.index}]${tail}`, detail: `module '${at.module}': ${text}` });
}

/**
 * Validates each module's YAML `settings` against the module's declared settings (a class-validator
 * class or a JSON Schema) and binds the result as `<module>.settings` (and by class).
 */
export function bindModuleSettings(config: LokstraConfig, registry: Registry, container: ServiceContainer, source: string | undefined): void {
  const entries = (config.modules ?? []) as ModuleConfig[];
  for (const mod of registry.modules.values()) {
    if (mod.settings === undefined) continue;
    const index = entries.findIndex((m) => typeof m === 'object' && m !== null && !isDefinedModule(m) && m.name === mod.name);
    const raw = (index >= 0 ? entries[index]?.settings : undefined) ?? {};
    const token = `${mod.name}.settings`;
    const at: FailAt = { config, module: mod.name, index, source };
    if (typeof mod.settings === 'function') {
      const { plainToInstance } = optional.classTransformer(); // only for class-typed settings
      const instance = plainToInstance(mod.settings as Newable, raw) as object;
      const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false });
      const first = firstMessage(errors);
      if (first) fail(at, first.path, first.text);
      container.bindValue(token, instance);
      container.bindValue(mod.settings, instance, token);
    } else {
      const Ajv = optional.ajv2020(); // only for modules with JSON-Schema settings
      const validate = new Ajv({ allErrors: false, strict: false, useDefaults: true }).compile(mod.settings);
      const copy = structuredClone(raw);
      if (!validate(copy)) {
        const e = validate.errors?.[0];
        const sub = (e?.instancePath ?? '').slice(1).replace(/\//g, '.');
        fail(at, sub, `${e?.message ?? 'invalid'}${e?.keyword === 'additionalProperties' ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'` : ''}`);
      }
      container.bindValue(token, copy);
    }
  }
}

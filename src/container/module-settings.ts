import Ajv2020 from 'ajv/dist/2020';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { formatPosition, positionOf } from '../config/positions';
import type { LokstraConfig, ModuleConfig } from '../config/types';
import { LokstraError } from '../errors/lokstra-error';
import { isSecretKey } from '../internal/secrets';
import type { Newable } from '../internal/types';
import { isDefinedModule } from '../metadata/defined-module';
import type { Registry } from './registry';
import type { ServiceContainer } from './service-container';

function firstMessage(errors: ValidationError[], prefix = ''): { path: string; text: string } | undefined {
  for (const e of errors) {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints) {
      const text = Object.values(e.constraints)[0] ?? 'invalid';
      return { path, text: isSecretKey(e.property) && typeof e.value === 'string' ? text.split(e.value).join('[REDACTED]') : text };
    }
    const nested = firstMessage(e.children ?? [], path);
    if (nested) return nested;
  }
  return undefined;
}

function fail(config: LokstraConfig, index: number, sub: string, text: string, source: string | undefined): never {
  const keys = sub ? sub.split('.') : [];
  const pos = index >= 0 ? formatPosition(positionOf(config, ['modules', index, 'settings', ...keys]), source ?? 'config') : 'code';
  throw new LokstraError('LKS_ERR_CONFIG_INVALID', { path: `${pos} modules[${index}].settings${sub ? '.' + sub : ''}`, detail: text });
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
    if (typeof mod.settings === 'function') {
      const instance = plainToInstance(mod.settings as Newable, raw) as object;
      const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false });
      const first = firstMessage(errors);
      if (first) fail(config, index, first.path, first.text, source);
      container.bindValue(token, instance);
      container.bindValue(mod.settings, instance, token);
    } else {
      const validate = new Ajv2020({ allErrors: false, strict: false, useDefaults: true }).compile(mod.settings);
      const copy = structuredClone(raw);
      if (!validate(copy)) {
        const e = validate.errors?.[0];
        const sub = (e?.instancePath ?? '').slice(1).replace(/\//g, '.');
        fail(config, index, sub, `${e?.message ?? 'invalid'}${e?.keyword === 'additionalProperties' ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'` : ''}`, source);
      }
      container.bindValue(token, copy);
    }
  }
}

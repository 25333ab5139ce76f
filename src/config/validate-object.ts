import { isDefinedModule } from '../metadata/defined-module';
import type { LokstraConfig } from './types';
import { validateConfig } from './validate';

/** Where a config object's errors say they are (it has no file). */
export const CONFIG_OBJECT = 'config object';

const CODE = '(code)';

function isPlain(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

// The schema sees code values as what YAML would write in their place: a name (a string).
// `seen` holds the ancestors of the value only: a list or map used in two places (a shared
// `algorithms` array) is projected at each, only a real cycle is cut.
function project(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'function') return CODE;
  if (Array.isArray(value)) {
    if (seen.has(value)) return [];
    seen.add(value);
    const out = value.map((v) => project(v, seen));
    seen.delete(value);
    return out;
  }
  if (!isPlain(value) || seen.has(value)) return value;
  seen.add(value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = project(v, seen);
  seen.delete(value);
  return out;
}

/**
 * Validates a config object given in code (`Lokstra.run({ apps: [...] })`) with the same JSON Schema
 * as YAML: unknown keys (with "did you mean"), wrong types and values fail with
 * `LKS_ERR_CONFIG_INVALID` naming the key path (entries by name: `apps.api.adress`). Code values — classes, handler and middleware
 * functions, `defineModule` objects, instances inside `config` maps — stand for the names YAML would
 * give. The object itself is not changed; legacy Go keys are reported through `warn`.
 */
export function validateConfigObject(config: LokstraConfig, warn: (message: string) => void = () => undefined): LokstraConfig {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    validateConfig(config, warn, CONFIG_OBJECT, { namedEntries: true });
    return config;
  }
  const copy = project(config, new WeakSet()) as Record<string, unknown>;
  if (Array.isArray(config.modules)) {
    copy.modules = config.modules.map((m, i) => (typeof m === 'function' || isDefinedModule(m) ? { name: `(code module #${i})` } : (copy.modules as unknown[])[i]));
  }
  validateConfig(copy as LokstraConfig, warn, CONFIG_OBJECT, { namedEntries: true });
  return config;
}

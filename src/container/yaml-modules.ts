import { dirname, isAbsolute, resolve } from 'node:path';
import { LokstraError } from '../errors/lokstra-error';
import type { ModuleConfig } from '../config/types';
import { isDefinedModule } from '../metadata/defined-module';
import { metadata } from '../metadata/store';
import type { ModuleRef } from '../metadata/types';

/** Loads modules declared in YAML with a `path` (relative to the config file); entries without one name modules registered in code. */
export async function loadYamlModules(entries: ModuleConfig[], source: string | undefined, cwd = process.cwd()): Promise<ModuleRef[]> {
  const base = source ? dirname(source) : cwd;
  const out: ModuleRef[] = [];
  for (const [i, entry] of entries.entries()) {
    if (entry.path === undefined) continue;
    const file = isAbsolute(entry.path) ? entry.path : resolve(base, entry.path);
    let exported: Record<string, unknown>;
    try {
      exported = (await import(file)) as Record<string, unknown>;
    } catch (err) {
      throw new LokstraError('LKS_ERR_CONFIG_INVALID', { path: `modules[${i}].path`, detail: `cannot load ${file}: ${(err as Error).message}` });
    }
    const found = Object.values(exported).filter((v) => isDefinedModule(v) || (typeof v === 'function' && metadata.getModule(v) !== undefined));
    if (found.length === 0) throw new LokstraError('LKS_ERR_CONFIG_INVALID', { path: `modules[${i}].path`, detail: `${file} exports no @Module class or defineModule object` });
    out.push(...(found as ModuleRef[]));
  }
  return out;
}

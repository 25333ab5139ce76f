import { copyPositions } from './positions';
import type { LokstraConfig } from './types';

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/** Deep merge: maps merged, lists appended, scalars replaced (later wins). */
export function deepMerge(a: unknown, b: unknown): unknown {
  if (Array.isArray(a) && Array.isArray(b)) {
    const out = [...a, ...b];
    copyPositions(out, a);
    copyPositions(out, b, a.length);
    return out;
  }
  if (isPlain(a) && isPlain(b)) {
    const out: Plain = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? deepMerge(out[k], v) : v;
    copyPositions(out, a);
    copyPositions(out, b);
    return out;
  }
  return b === undefined ? a : b;
}

function mergeByName(a: unknown[] | undefined, b: unknown[] | undefined): unknown[] | undefined {
  if (b === undefined) return a;
  if (a === undefined) return b;
  const out = [...a];
  copyPositions(out, a);
  for (const item of b) {
    const name = isPlain(item) ? item.name : undefined;
    const at = name === undefined ? -1 : out.findIndex((x) => isPlain(x) && x.name === name);
    if (at === -1) out.push(item);
    else out[at] = deepMerge(out[at], item);
  }
  return out;
}

/** Merges two configs by SPEC §6.4: `server` deep-merged; `apps`, `services`, `modules` matched by name. */
export function mergeConfigs(a: LokstraConfig, b: LokstraConfig): LokstraConfig {
  const out: Plain = { ...(a as Plain), ...(b as Plain) };
  copyPositions(out, a);
  copyPositions(out, b);
  out.server = deepMerge(a.server, b.server);
  for (const key of ['apps', 'services', 'modules'] as const) {
    out[key] = mergeByName(a[key] as unknown[] | undefined, b[key] as unknown[] | undefined);
  }
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  return out as LokstraConfig;
}

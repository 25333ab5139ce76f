import { yaml } from './yaml-lib';
import { LokstraError } from '../errors/lokstra-error';
import { isSecretKey } from '../internal/secrets';
import { setPosition } from './positions';
import type { LokstraConfig } from './types';

const SECTIONS = new Map([['SERVER', 'server'], ['APPS', 'apps'], ['SERVICES', 'services'], ['MODULES', 'modules']]);

const norm = (s: string): string => s.toLowerCase().replace(/[-.]/g, '_');

function scalar(text: string): unknown {
  try {
    const v: unknown = yaml().parse(text);
    return v === null || typeof v !== 'object' ? (v ?? text) : text;
  } catch {
    return text;
  }
}

const FLOW = /^\s*(\[[\s\S]*\]|\{[\s\S]*\})\s*$/;

// `[cors, request_id]`, `["a", {"name": "cors"}]`, `{ dsn: …, max: 3 }`: a list or map as a JSON or
// YAML flow value. Secret-looking keys keep their text (a password may start with `[`).
function value(text: string, key: string, variable: string): unknown {
  if (isSecretKey(key) || !FLOW.test(text)) return scalar(text);
  let parsed: unknown;
  try {
    parsed = yaml().parse(text, { maxAliasCount: 0 });
  } catch (err) {
    const detail = (err as Error).message.split('\n')[0] ?? '';
    throw new LokstraError('LKS_ERR_CONFIG_INVALID', { path: `env ${variable}`, detail: `expected a list or map as a JSON or YAML flow value (e.g. [cors, request_id]): ${detail}` });
  }
  return parsed;
}

/**
 * Applies `LOKSTRA_SERVER__…`, `LOKSTRA_APPS__<name>__…`, `LOKSTRA_SERVICES__<name>__…` and
 * `LOKSTRA_MODULES__<name>__…` (double underscore between parts, list entries by name — or by
 * index when no entry has that name —, keys case-insensitive). Values are YAML scalars, or lists and
 * maps written as a JSON/YAML flow value (`[cors, request_id]`). No other `LOKSTRA_*` variable is an override.
 */
export function applyEnvOverrides(config: LokstraConfig, env: NodeJS.ProcessEnv): void {
  for (const [variable, raw] of Object.entries(env)) {
    if (raw === undefined || !variable.startsWith('LOKSTRA_')) continue;
    const parts = variable.slice('LOKSTRA_'.length).split('__');
    const section = SECTIONS.get(parts[0] ?? '');
    if (section === undefined || parts.length < 2) continue;
    applyOne(config as Record<string, unknown>, section, parts.slice(1), raw, variable);
  }
}

function applyOne(config: Record<string, unknown>, section: string, rest: string[], raw: string, variable: string): void {
  let node: Record<string, unknown>;
  let keys = rest;
  if (section === 'server') {
    node = (config.server ??= {}) as Record<string, unknown>;
  } else {
    const list = (config[section] ?? []) as Record<string, unknown>[];
    const name = rest[0] ?? '';
    const entry = list.find((e) => typeof e.name === 'string' && norm(e.name) === norm(name)) ?? (/^\d+$/.test(name) ? list[Number(name)] : undefined);
    if (entry === undefined) {
      throw new LokstraError('LKS_ERR_CONFIG_INVALID', { path: `env ${variable}`, detail: `no entry named '${name}' in ${section}` });
    }
    node = entry;
    keys = rest.slice(1);
  }
  if (keys.length === 0) throw new LokstraError('LKS_ERR_CONFIG_INVALID', { path: `env ${variable}`, detail: 'names no key to set' });
  for (const part of keys.slice(0, -1)) {
    const key = findKey(node, part);
    const next = node[key];
    if (next !== undefined && (typeof next !== 'object' || next === null || Array.isArray(next))) {
      throw new LokstraError('LKS_ERR_CONFIG_INVALID', { path: `env ${variable}`, detail: `'${key}' is not a map` });
    }
    node = (node[key] ??= {}) as Record<string, unknown>;
  }
  const last = findKey(node, keys[keys.length - 1] as string);
  node[last] = value(raw, last, variable);
  setPosition(node, last, { file: `env ${variable}`, line: 0, col: 0 });
}

function findKey(node: Record<string, unknown>, part: string): string {
  return Object.keys(node).find((k) => norm(k) === norm(part)) ?? part.toLowerCase();
}

import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { LokstraError } from '../errors/lokstra-error';
import type { EnvResolver } from './interpolate';
import { copyPositions, fileOf, formatPosition, positionOf } from './positions';
import type { GroupConfig, LokstraConfig, RouteConfig } from './types';

interface IncludeOptions {
  /** Includes must stay inside this directory. */
  root: string;
  resolvers: Map<string, EnvResolver>;
  load: (file: string, resolvers: Map<string, EnvResolver>) => LokstraConfig;
}

interface Fragment {
  routes?: RouteConfig[];
  groups?: GroupConfig[];
}

/**
 * Resolves `load_from` / `include` on groups: each listed YAML file contributes its `routes` and
 * `groups`, relative to the file that lists it; nested includes work; a loop or a path leaving the
 * config's directory is a boot error.
 */
export function resolveIncludes(config: LokstraConfig, options: IncludeOptions): LokstraConfig {
  for (const app of config.apps ?? []) {
    for (const group of app.groups ?? []) expandGroup(group, options, []);
  }
  return config;
}

function expandGroup(group: GroupConfig, options: IncludeOptions, stack: string[]): void {
  const own = [...(group.groups ?? [])];
  const base = dirname(fileOf(group) ?? resolve(options.root, 'lokstra.config.yaml'));
  for (const key of ['load_from', 'include'] as const) {
    for (const ref of group[key] ?? []) {
      const file = isAbsolute(ref) ? ref : resolve(base, ref);
      const where = `${formatPosition(positionOf(group, [key]), base)} ${key}`;
      const rel = relative(options.root, file);
      if (rel.startsWith('..') || isAbsolute(rel)) {
        throw new LokstraError('LKS_ERR_CONFIG_INVALID', { path: where, detail: `${ref} points outside the config directory ${options.root}` });
      }
      if (stack.includes(file)) {
        throw new LokstraError('LKS_ERR_CONFIG_INVALID', { path: where, detail: `include loop: ${[...stack, file].map((f) => relative(options.root, f)).join(' -> ')}` });
      }
      const fragment = options.load(file, options.resolvers) as Fragment & { load_from?: string[] };
      const extra = Object.keys(fragment).filter((k) => k !== 'routes' && k !== 'groups' && k !== 'load_from');
      if (extra.length > 0) {
        throw new LokstraError('LKS_ERR_CONFIG_INVALID', { path: file, detail: `an included file may only contain routes, groups and load_from; found ${extra.join(', ')}` });
      }
      // An included file's own load_from applies to the including group, relative to the included file.
      const nested: GroupConfig = { prefix: group.prefix, routes: fragment.routes ?? [], groups: fragment.groups ?? [], ...(fragment.load_from ? { load_from: fragment.load_from } : {}) };
      copyPositions(nested, fragment);
      expandGroup(nested, options, [...stack, file]);
      group.routes = [...(group.routes ?? []), ...(nested.routes ?? [])];
      group.groups = [...(group.groups ?? []), ...(nested.groups ?? [])];
    }
    delete group[key];
  }
  for (const child of own) expandGroup(child, options, stack);
}

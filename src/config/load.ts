import { readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve as resolvePath, join } from 'node:path';
import { cosmiconfig } from 'cosmiconfig';
import { LineCounter, parseDocument } from 'yaml';
import { LokstraError } from '../errors/lokstra-error';
import { defaultResolvers, interpolateDocument, type EnvResolver } from './interpolate';
import { mergeConfigs } from './merge';
import type { LoadedConfig, LokstraConfig } from './types';

/** Where `Lokstra.run()` without a config looks, in order (cosmiconfig, module `lokstra`). */
export const SEARCH_PLACES = [
  'lokstra.config.yaml', 'lokstra.config.yml', 'lokstra.config.json', 'lokstra.config.js', 'lokstra.config.ts',
  '.lokstrarc', '.lokstrarc.yaml', '.lokstrarc.yml', '.lokstrarc.json', '.lokstrarc.js', 'package.json',
];

/** Options of {@link loadConfig}. */
export interface LoadOptions {
  cwd?: string;
  resolvers?: Map<string, EnvResolver>;
}

/**
 * Parses one YAML text: syntax errors name file:line:col; aliases are capped and unknown tags
 * (`!!js/function`…) rejected; `${…}` references are substituted on scalars.
 */
export function parseYaml(text: string, file: string, resolvers: Map<string, EnvResolver> = defaultResolvers()): LokstraConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const problems = [...doc.errors, ...doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED')];
  const first = problems[0];
  if (first !== undefined) {
    const pos = first.linePos?.[0];
    const where = pos ? `${file}:${pos.line}:${pos.col}` : file;
    throw new LokstraError('LKS_ERR_CONFIG_PARSE', { file: where, detail: first.message.split('\n')[0] });
  }
  interpolateDocument(doc, resolvers, file);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new LokstraError('LKS_ERR_CONFIG_PARSE', { file, detail: (err as Error).message });
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new LokstraError('LKS_ERR_CONFIG_INVALID', { path: file, detail: 'the top level must be a map (server, services, apps, modules)' });
  }
  return value as LokstraConfig;
}

function loadFile(file: string, resolvers: Map<string, EnvResolver>): LokstraConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LokstraError('LKS_ERR_CONFIG_NOT_FOUND', { detail: `${file}: ${(err as Error).message}` });
  }
  if (file.endsWith('.json')) {
    try {
      return JSON.parse(text) as LokstraConfig;
    } catch (err) {
      throw new LokstraError('LKS_ERR_CONFIG_PARSE', { file, detail: (err as Error).message });
    }
  }
  return parseYaml(text, file, resolvers);
}

function loadDirectory(dir: string, resolvers: Map<string, EnvResolver>): LokstraConfig {
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  if (files.length === 0) throw new LokstraError('LKS_ERR_CONFIG_NOT_FOUND', { detail: `no *.yaml or *.yml file in ${dir}` });
  return files.reduce<LokstraConfig>((acc, f) => mergeConfigs(acc, loadFile(join(dir, f), resolvers)), {});
}

/**
 * Loads a config: an object as is, a YAML/JSON file, a directory of YAML files (merged in lexical
 * order), or — given nothing — the first of {@link SEARCH_PLACES} in `cwd`.
 */
export async function loadConfig(input: string | LokstraConfig | undefined, options: LoadOptions = {}): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const resolvers = options.resolvers ?? defaultResolvers();
  if (input !== undefined && typeof input === 'object') return { config: input, source: undefined };
  if (typeof input === 'string') {
    const path = resolvePath(cwd, input);
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw new LokstraError('LKS_ERR_CONFIG_NOT_FOUND', { detail: `${path} does not exist` });
    }
    return { config: isDir ? loadDirectory(path, resolvers) : loadFile(path, resolvers), source: path };
  }
  const explorer = cosmiconfig('lokstra', {
    searchPlaces: SEARCH_PLACES,
    searchStrategy: 'none',
    loaders: {
      '.yaml': (file, text) => parseYaml(text, file, resolvers),
      '.yml': (file, text) => parseYaml(text, file, resolvers),
      noExt: (file, text) => parseYaml(text, file, resolvers),
    },
  });
  const found = await explorer.search(cwd);
  if (found === null) {
    throw new LokstraError('LKS_ERR_CONFIG_NOT_FOUND', { detail: `none of ${SEARCH_PLACES.join(', ')} in ${cwd}; pass a config object or a path` });
  }
  return { config: (found.config ?? {}) as LokstraConfig, source: found.filepath };
}

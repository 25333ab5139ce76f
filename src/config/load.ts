import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve as resolvePath, isAbsolute } from 'node:path';
import { optional } from '../internal/optional';
import { yaml } from './yaml-lib';
import { LokstraError } from '../errors/lokstra-error';
import { applyEnvOverrides } from './env-overrides';
import { resolveIncludes } from './includes';
import { defaultResolvers, interpolateDocument, type EnvResolver } from './interpolate';
import { mergeConfigs } from './merge';
import { recordPositions } from './positions';
import type { LoadedConfig, LokstraConfig } from './types';
import { validateConfig } from './validate';
import { validateConfigObject } from './validate-object';

/** Where `Lokstra.run()` without a config looks, in order (cosmiconfig, module `lokstra`). */
export const SEARCH_PLACES = [
  'lokstra.config.yaml', 'lokstra.config.yml', 'lokstra.config.json', 'lokstra.config.js', 'lokstra.config.ts',
  '.lokstrarc', '.lokstrarc.yaml', '.lokstrarc.yml', '.lokstrarc.json', '.lokstrarc.js', 'package.json',
];

/** Options of {@link loadConfig}. */
export interface LoadOptions {
  cwd?: string;
  resolvers?: Map<string, EnvResolver>;
  /** Environment for `LOKSTRA_ENV` and `LOKSTRA_*` overrides (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

const MAX_ALIASES = 100;

/**
 * Parses one YAML text: syntax errors name file:line:col; aliases are capped and unknown tags
 * (`!!js/function`…) rejected; `${…}` references are substituted on scalars; every key keeps its
 * position for later error messages.
 */
export function parseYaml(text: string, file: string, resolvers: Map<string, EnvResolver> = defaultResolvers()): LokstraConfig {
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const problems = [...doc.errors, ...doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED')];
  const first = problems[0];
  if (first !== undefined) {
    const pos = first.linePos?.[0];
    const where = pos ? `${file}:${pos.line}:${pos.col}` : file;
    const detail = first.code === 'TAG_RESOLVE_FAILED' ? `${first.message.split('\n')[0]} (custom tags are not allowed)` : first.message.split('\n')[0];
    throw new LokstraError('LKS_ERR_CONFIG_PARSE', { file: where, detail });
  }
  interpolateDocument(doc, resolvers, file, lineCounter);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (err) {
    throw new LokstraError('LKS_ERR_CONFIG_PARSE', { file, detail: `${(err as Error).message} (alias expansion is capped at ${MAX_ALIASES})` });
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new LokstraError('LKS_ERR_CONFIG_INVALID', { path: file, detail: 'the top level must be a map (server, services, apps, modules)' });
  }
  recordPositions(value, doc.contents, file, lineCounter);
  return value as LokstraConfig;
}

/** Reads and parses one YAML or JSON file. */
export function loadFile(file: string, resolvers: Map<string, EnvResolver>): LokstraConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LokstraError('LKS_ERR_CONFIG_NOT_FOUND', { detail: `${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
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

const yamlFilesIn = (dir: string): string[] => existsSync(dir) && statSync(dir).isDirectory()
  ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(dir, f))
  : [];

/** The files a path stands for: a file plus its profile file, or a directory's YAML files plus its profile folder. */
function filesFor(path: string, profile: string | undefined): string[] {
  if (statSync(path).isDirectory()) {
    const files = yamlFilesIn(path);
    if (files.length === 0) throw new LokstraError('LKS_ERR_CONFIG_NOT_FOUND', { detail: `no *.yaml or *.yml file in ${path}` });
    return profile ? [...files, ...yamlFilesIn(join(path, profile))] : files;
  }
  if (!profile) return [path];
  const ext = /\.(ya?ml|json)$/.exec(path)?.[0] ?? '.yaml';
  const profileFile = join(dirname(path), `lokstra.${profile}${ext}`);
  return existsSync(profileFile) && profileFile !== path ? [path, profileFile] : [path];
}

async function discover(cwd: string, resolvers: Map<string, EnvResolver>): Promise<string> {
  // Loaded only to discover a config file (a config object or an explicit path never needs it).
  const { cosmiconfig } = optional.cosmiconfig();
  const explorer = cosmiconfig('lokstra', {
    searchPlaces: SEARCH_PLACES,
    searchStrategy: 'none',
    loaders: { '.yaml': (file, text) => parseYaml(text, file, resolvers), '.yml': (file, text) => parseYaml(text, file, resolvers), noExt: (file, text) => parseYaml(text, file, resolvers) },
  });
  const found = await explorer.search(cwd);
  if (found === null) {
    throw new LokstraError('LKS_ERR_CONFIG_NOT_FOUND', { detail: `none of ${SEARCH_PLACES.join(', ')} in ${cwd}; pass a config object or a path` });
  }
  return found.filepath;
}

/**
 * Loads a config: an object (checked by the same schema as YAML, code values standing for names); or a YAML/JSON
 * file, a directory of YAML files (lexical order), or — given nothing — the first of
 * {@link SEARCH_PLACES} in `cwd`. Files are merged with their `LOKSTRA_ENV` profile, `load_from`
 * includes are resolved, `LOKSTRA_*` overrides applied, and the result validated by the schema.
 */
export async function loadConfig(input: string | LokstraConfig | undefined, options: LoadOptions = {}): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const resolvers = options.resolvers ?? defaultResolvers(env);
  if (input !== undefined && typeof input === 'object') {
    const warnings: string[] = [];
    return { config: validateConfigObject(input, (w) => warnings.push(w)), source: undefined, warnings };
  }
  let path: string;
  if (typeof input === 'string') {
    path = resolvePath(cwd, input);
    if (!existsSync(path)) throw new LokstraError('LKS_ERR_CONFIG_NOT_FOUND', { detail: `${path} does not exist` });
  } else {
    path = await discover(cwd, resolvers);
    if (path.endsWith('package.json')) {
      const pkg = JSON.parse(readFileSync(path, 'utf8')) as { lokstra?: LokstraConfig };
      return { config: validateConfig(pkg.lokstra ?? {}, () => undefined, path), source: path, warnings: [] };
    }
  }
  const profile = env.LOKSTRA_ENV?.trim() || undefined;
  const files = filesFor(path, profile);
  const root = statSync(path).isDirectory() ? path : dirname(path);
  let config = files.reduce<LokstraConfig>((acc, f) => mergeConfigs(acc, loadFile(f, resolvers)), {});
  config = resolveIncludes(config, { root, resolvers, load: loadFile });
  applyEnvOverrides(config, env);
  const warnings: string[] = [];
  config = validateConfig(config, (w) => warnings.push(w), relativeTo(cwd, path));
  return { config, source: path, warnings };
}

function relativeTo(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

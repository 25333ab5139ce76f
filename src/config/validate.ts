import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import { LokstraError } from '../errors/lokstra-error';
import { optional } from '../internal/optional';
import { isSecretKey } from '../internal/secrets';
import { suggest } from '../internal/suggest';
import schema from './lokstra.schema.json';
import { formatPosition, positionOf } from './positions';
import type { LokstraConfig } from './types';

/** Keys of the Go original that mean nothing here: removed with a warning instead of failing. */
export const LEGACY_KEYS = new Set(['listener_type', 'router_engine_type', 'setting', 'settings_legacy', 'cert_file', 'key_file', 'ca_file']);

/** ajv options of the config validator; scripts/build-config-validator.cjs uses the same. */
export const CONFIG_AJV_OPTIONS = { allErrors: true, verbose: true, strict: false } as const;

let compiled: ValidateFunction | undefined;

/** Compiles `lokstra.schema.json` with ajv (tens of ms): what the built package avoids. */
export function compileConfigValidator(): ValidateFunction {
  // Loaded here only: the built package validates with the standalone code and never loads ajv's compiler for it.
  const Ajv = optional.ajv2020();
  return new Ajv({ ...CONFIG_AJV_OPTIONS }).compile(schema);
}

/**
 * The built package's validator: ajv standalone code generated at build time from the same schema
 * and options (scripts/build-config-validator.cjs). Absent when running from source.
 */
function precompiled(): ValidateFunction | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('./config-validator') as ValidateFunction;
  } catch (err) {
    if ((err as { code?: string }).code === 'MODULE_NOT_FOUND' && String((err as Error).message).includes('config-validator')) return undefined;
    throw err;
  }
}

/** The schema validator, loaded or compiled once (JSON Schema 2020-12). */
function validator(): ValidateFunction {
  compiled ??= precompiled() ?? compileConfigValidator();
  return compiled;
}

/** Replaces the validator (tests compare the standalone one with the runtime one). */
export function useConfigValidator(validate: ValidateFunction | undefined): void {
  compiled = validate;
}

type Path = (string | number)[];

function toPath(pointer: string): Path {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function indexKeyPath(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || '(root)';
}

const NAMED_SECTIONS = new Set(['apps', 'services', 'modules']);

// `services.health.config.timeout` rather than `services[3].config.timeout`, where there is no file
// line to point at (config objects): entries are named as the factories and LOKSTRA_* overrides name them.
function namedKeyPath(config: unknown, path: Path): string {
  const [section, index, ...rest] = path;
  const name = typeof index === 'number' ? (get(config, [section as string, index]) as { name?: unknown } | undefined)?.name : undefined;
  if (typeof section !== 'string' || !NAMED_SECTIONS.has(section) || typeof name !== 'string') return indexKeyPath(path);
  if (rest.length === 0) return `${section}.${name}`;
  const tail = indexKeyPath(rest);
  return `${section}.${name}${typeof rest[0] === 'number' ? tail : `.${tail}`}`;
}

function describe(value: unknown, key: string | number | undefined): string {
  if (typeof key === 'string' && isSecretKey(key)) return 'a value (hidden: secret key)';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 60 ? value.slice(0, 57) + '...' : value)}`;
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'a map';
  return `${typeof value} ${String(value)}`;
}

function explain(e: ErrorObject): { path: Path; text: string } | undefined {
  const path = toPath(e.instancePath);
  const last = path[path.length - 1];
  const found = describe(e.data, last);
  const what = (e.parentSchema as { description?: string } | undefined)?.description;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys(((e.parentSchema as { properties?: object })?.properties) ?? {});
      const hint = suggest(key, known);
      return { path: [...path, key], text: `unknown key '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}; allowed: ${known.join(', ')}` };
    }
    case 'required':
      return { path, text: `missing required key '${(e.params as { missingProperty: string }).missingProperty}'` };
    case 'enum':
      return { path, text: `expected one of ${((e.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(', ')}, found ${found}` };
    case 'oneOf':
    case 'anyOf':
      return { path, text: `expected ${what ?? 'a valid value'}, found ${found}` };
    case 'if':
      return undefined;
    default:
      return { path, text: `${e.message ?? 'invalid'}${what ? ` (${what})` : ''}, found ${found}` };
  }
}

// Errors inside a failed oneOf/anyOf branch repeat what the oneOf error says; keep the most useful.
function relevant(errors: ErrorObject[]): ErrorObject[] {
  const combinators = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf').map((e) => e.instancePath);
  return errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf' || !combinators.includes(e.instancePath)
    || e.keyword === 'additionalProperties' || e.keyword === 'required');
}

function get(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((n, p) => (n !== null && typeof n === 'object' ? (n as Record<string, unknown>)[String(p)] : undefined), root);
}

// YAML reads `password: 123456` as a number; where the schema declares a string, it stays a string.
function coerceStrings(config: unknown, errors: ErrorObject[]): boolean {
  let changed = false;
  for (const e of errors) {
    if (e.keyword !== 'type' || (e.params as { type: string }).type !== 'string') continue;
    if (typeof e.data !== 'number' && typeof e.data !== 'boolean') continue;
    const path = toPath(e.instancePath);
    const parent = get(config, path.slice(0, -1)) as Record<string, unknown> | undefined;
    const key = path[path.length - 1];
    if (parent && key !== undefined) {
      parent[String(key)] = String(e.data);
      changed = true;
    }
  }
  return changed;
}

/**
 * Validates a loaded config against `lokstra.schema.json`. Unknown keys are errors (with a "did you
 * mean"); legacy Go keys are removed with a warning. Throws `LKS_ERR_CONFIG_INVALID` listing each
 * problem with file:line:col and key path; secret values are never printed.
 */
export function validateConfig(config: LokstraConfig, warn: (message: string) => void = () => undefined, fallback = 'config', options: { namedEntries?: boolean } = {}): LokstraConfig {
  const keyPath = options.namedEntries === true ? (path: Path): string => namedKeyPath(config, path) : indexKeyPath;
  stripLegacy(config, [], warn, fallback);
  const validate = validator();
  let ok = validate(config);
  for (let round = 0; !ok && round < 3 && coerceStrings(config, validate.errors ?? []); round++) ok = validate(config);
  if (ok) return config;
  const problems = relevant(validate.errors ?? []).map(explain).filter((x): x is { path: Path; text: string } => x !== undefined);
  const unique = [...new Map(problems.map((p) => [`${keyPath(p.path)} ${p.text}`, p])).values()];
  const lines = unique.slice(0, 8).map((p) => `${formatPosition(positionOf(config, p.path), fallback)} ${keyPath(p.path)}: ${p.text}`);
  const more = unique.length > 8 ? `\n  … and ${unique.length - 8} more` : '';
  const first = unique[0];
  throw new LokstraError('LKS_ERR_CONFIG_INVALID', {
    path: first ? `${formatPosition(positionOf(config, first.path), fallback)} ${keyPath(first.path)}` : fallback,
    detail: first ? first.text + (unique.length > 1 ? `\n  ${lines.slice(1).join('\n  ')}${more}` : '') : 'invalid',
    problems: lines,
  });
}

function stripLegacy(node: unknown, path: Path, warn: (m: string) => void, fallback: string): void {
  if (typeof node !== 'object' || node === null) return;
  for (const key of Object.keys(node)) {
    const here = [...path, Array.isArray(node) ? Number(key) : key];
    if (!Array.isArray(node) && LEGACY_KEYS.has(key) && path.length <= 2) {
      warn(`${formatPosition(positionOf(node, [key]), fallback)} ${indexKeyPath(here)}: '${key}' is a Go Lokstra key with no meaning here; ignored`);
      delete (node as Record<string, unknown>)[key];
      continue;
    }
    stripLegacy((node as Record<string, unknown>)[key], here, warn, fallback);
  }
}

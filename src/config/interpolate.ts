import { isAbsolute, relative } from 'node:path';
import type { Document, LineCounter, Scalar } from 'yaml';
import { yaml } from './yaml-lib';
import { LokstraError } from '../errors/lokstra-error';
import { readSecretFile } from './secret-file';

/** Resolves `${SOURCE:NAME}`; returns `undefined` when the name is not set. */
export type EnvResolver = (name: string) => string | undefined;

/** The built-in resolvers; `ENV` reads `process.env`, `FILE` a secret file (`${file:/run/secrets/x}`). */
export function defaultResolvers(env: NodeJS.ProcessEnv = process.env): Map<string, EnvResolver> {
  return new Map<string, EnvResolver>([['ENV', (name: string) => env[name]], ['FILE', readSecretFile]]);
}

const PATTERN = /\$\$\{|\$\{([^}]*)\}/g;

interface Reference {
  resolver: string;
  name: string;
  fallback: string | undefined;
}

function parseReference(body: string, resolvers: Map<string, EnvResolver>): Reference {
  const parts = body.split(':');
  const first = parts[0] ?? '';
  // `${file:/run/secrets/db_password}`: the name is a path (no `:` in it; a default may follow).
  if (parts.length >= 2 && first.toLowerCase() === 'file' && resolvers.has('FILE') && (parts[1] ?? '') !== '') {
    return { resolver: 'FILE', name: parts[1] as string, fallback: parts.length > 2 ? parts.slice(2).join(':') : undefined };
  }
  if (parts.length >= 2 && resolvers.has(first) && parts[1] !== '' && /^[A-Za-z_][\w.]*$/.test(parts[1] ?? '')) {
    return { resolver: first, name: parts[1] as string, fallback: parts.length > 2 ? parts.slice(2).join(':') : undefined };
  }
  return { resolver: 'ENV', name: first, fallback: parts.length > 1 ? parts.slice(1).join(':') : undefined };
}

/**
 * Substitutes `${NAME}`, `${NAME:default}` and `${SOURCE:NAME:default}` in one string. `$${` is a
 * literal `${`. An unset variable without default throws `LKS_ERR_CONFIG_ENV_MISSING` naming `path`.
 */
export function interpolateString(value: string, path: string, resolvers: Map<string, EnvResolver>): string {
  return value.replace(PATTERN, (match, body: string | undefined) => {
    if (match === '$${') return '${';
    const ref = parseReference(body ?? '', resolvers);
    let resolved: string | undefined;
    try {
      resolved = resolvers.get(ref.resolver)?.(ref.name);
    } catch (err) {
      if (ref.fallback !== undefined) return ref.fallback;
      if (LokstraError.is(err) && err.code === 'LKS_ERR_CONFIG_SECRET_FILE') throw new LokstraError('LKS_ERR_CONFIG_SECRET_FILE', { ...err.params, path });
      throw err;
    }
    if (resolved !== undefined) return resolved;
    if (ref.fallback !== undefined) return ref.fallback;
    throw new LokstraError('LKS_ERR_CONFIG_ENV_MISSING', { variable: ref.name, path });
  });
}

type Ancestor = unknown;

// The key path of a node from the visitor's ancestor chain: map keys by name, sequence items by index.
function keyPath(chain: readonly Ancestor[]): string {
  const { isPair, isScalar, isSeq } = yaml();
  let out = '';
  for (let i = 0; i < chain.length; i++) {
    const node = chain[i];
    const next = chain[i + 1];
    if (isPair(node) && isScalar(node.key)) out += (out ? '.' : '') + String(node.key.value);
    else if (isSeq(node) && next !== undefined) out += `[${node.items.indexOf(next as never)}]`;
  }
  return out;
}

function where(file: string, lc: LineCounter | undefined, node: Scalar, chain: readonly Ancestor[]): string {
  const offset = node.range?.[0];
  const pos = lc && offset !== undefined ? lc.linePos(offset) : undefined;
  const rel = relative(process.cwd(), file);
  const shown = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
  return `${shown}${pos ? `:${pos.line}:${pos.col}` : ''} ${keyPath(chain)}`;
}

/**
 * Interpolates every string scalar of a parsed YAML document in place. An unquoted scalar that is
 * exactly one `${…}` takes the YAML type of its value (`port: ${PORT:8080}` → number); quoted
 * scalars stay strings. Keys are never interpolated.
 */
export function interpolateDocument(doc: Document, resolvers: Map<string, EnvResolver>, file: string, lc?: LineCounter): void {
  yaml().visit(doc, {
    Scalar(key, node, path) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return;
      const text = interpolateString(node.value, where(file, lc, node, [...path, node]), resolvers);
      const whole = /^\$\{[^}]*\}$/.test(node.value) && node.type === 'PLAIN';
      node.value = whole ? typedScalar(text) : text;
    },
  });
}

function typedScalar(text: string): unknown {
  try {
    const value: unknown = yaml().parse(text);
    return value === null || typeof value !== 'object' ? (value ?? text) : text;
  } catch {
    return text;
  }
}

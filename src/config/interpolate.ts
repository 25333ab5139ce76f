import { isScalar, parse, visit, type Document, type Scalar } from 'yaml';
import { LokstraError } from '../errors/lokstra-error';

/** Resolves `${SOURCE:NAME}`; returns `undefined` when the name is not set. */
export type EnvResolver = (name: string) => string | undefined;

/** The built-in resolvers; `ENV` reads `process.env`. */
export function defaultResolvers(env: NodeJS.ProcessEnv = process.env): Map<string, EnvResolver> {
  return new Map([['ENV', (name: string) => env[name]]]);
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
    const resolved = resolvers.get(ref.resolver)?.(ref.name);
    if (resolved !== undefined) return resolved;
    if (ref.fallback !== undefined) return ref.fallback;
    throw new LokstraError('LKS_ERR_CONFIG_ENV_MISSING', { variable: ref.name, path });
  });
}

function keyPath(path: readonly unknown[], key: unknown): string {
  const parts: string[] = [];
  for (const node of [...path, key]) {
    if (typeof node === 'number') parts.push(`[${node}]`);
    else if (isScalar(node)) parts.push(String((node as Scalar).value));
    else if (node && typeof node === 'object' && 'key' in node && isScalar((node as { key: unknown }).key)) {
      parts.push(String(((node as { key: Scalar }).key).value));
    }
  }
  return parts.join('.').replace(/\.\[/g, '[');
}

/**
 * Interpolates every string scalar of a parsed YAML document in place. An unquoted scalar that is
 * exactly one `${…}` takes the YAML type of its value (`port: ${PORT:8080}` → number); quoted
 * scalars stay strings. Keys are never interpolated.
 */
export function interpolateDocument(doc: Document, resolvers: Map<string, EnvResolver>, file: string): void {
  visit(doc, {
    Pair(_key, pair, path) {
      const node = pair.value;
      if (!isScalar(node) || typeof node.value !== 'string' || !node.value.includes('${')) return;
      const where = `${file} ${keyPath(path, pair)}`;
      const text = interpolateString(node.value, where, resolvers);
      const whole = /^\$\{[^}]*\}$/.test(node.value) && node.type === 'PLAIN';
      node.value = whole ? typedScalar(text) : text;
    },
    Seq(_key, seq, path) {
      seq.items.forEach((node, i) => {
        if (!isScalar(node) || typeof node.value !== 'string' || !node.value.includes('${')) return;
        const where = `${file} ${keyPath(path, seq)}[${i}]`;
        const text = interpolateString(node.value, where, resolvers);
        node.value = /^\$\{[^}]*\}$/.test(node.value) && node.type === 'PLAIN' ? typedScalar(text) : text;
      });
    },
  });
}

function typedScalar(text: string): unknown {
  try {
    const value: unknown = parse(text);
    return value === null || typeof value !== 'object' ? (value ?? text) : text;
  } catch {
    return text;
  }
}

import type { Class } from '../internal/types';
import { compileDtoSchema } from './document';
import type { CompiledDtoSchema, JsonSchema } from './types';

/** A DTO's document schema split into named definitions, every `$ref` pointing under one prefix. */
export interface SchemaBundle {
  /** The DTO's own definition name (its class name). */
  name: string;
  /** Definitions by name: the DTO itself and every nested class. */
  defs: Record<string, JsonSchema>;
}

function rewrite(node: unknown, map: (ref: string) => string): unknown {
  if (Array.isArray(node)) return node.map((n) => rewrite(n, map));
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === '$ref' && typeof v === 'string' ? map(v) : rewrite(v, map);
  return out;
}

/** Rewrites every `$ref` of a schema (e.g. `#/$defs/X` → `#/components/schemas/X`). */
export function rewriteRefs(schema: JsonSchema, map: (ref: string) => string): JsonSchema {
  return rewrite(schema, map) as JsonSchema;
}

/**
 * The body schema of a DTO ({@link compileDtoSchema}) as definitions to embed in a larger document
 * (an envelope serialiser's `$defs`, OpenAPI `components.schemas`): the DTO under its class name,
 * its nested classes beside it, and `#`/`#/$defs/X` references rewritten to `prefix + name`.
 * @example
 * const { name, defs } = bundleDtoSchema(UserView, '#/components/schemas/');
 */
export function bundleDtoSchema(cls: Class, prefix: string, compiled: CompiledDtoSchema = compileDtoSchema(cls)): SchemaBundle {
  const { schema } = compiled;
  const { $schema: _s, title: _t, $defs, ...root } = schema as JsonSchema & { $defs?: Record<string, JsonSchema> };
  const name = cls.name || 'Anonymous';
  const map = (ref: string): string => (ref === '#' ? prefix + name : ref.startsWith('#/$defs/') ? prefix + ref.slice('#/$defs/'.length) : ref);
  const defs: Record<string, JsonSchema> = { [name]: rewriteRefs(root, map) };
  for (const [k, v] of Object.entries($defs ?? {})) defs[k] = rewriteRefs(v, map);
  return { name, defs };
}

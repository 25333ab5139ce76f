import type { Class } from '../internal/types';
import { bundleDtoSchema, compileDtoSchema, rewriteRefs, type CompiledDtoSchema, type JsonSchema } from '../schema/index';

const PREFIX = '#/components/schemas/';

/**
 * `components.schemas` of one document: DTO classes added once each (by identity); two different
 * classes with the same name (or same-named nested classes with different shapes) get `Name_2`.
 */
export class SchemaComponents {
  readonly schemas: Record<string, JsonSchema> = {};
  private readonly refs = new Map<Class, JsonSchema>();
  private readonly compiled = new Map<Class, CompiledDtoSchema>();

  /** The schema compiler's output for a class, computed once per document. */
  dto(cls: Class): CompiledDtoSchema {
    let c = this.compiled.get(cls);
    if (c === undefined) {
      c = compileDtoSchema(cls);
      this.compiled.set(cls, c);
    }
    return c;
  }

  /** A `$ref` to the class's body schema, adding it (and its nested classes) on first use. */
  ref(cls: Class): JsonSchema {
    const known = this.refs.get(cls);
    if (known !== undefined) return known;
    const { name, defs } = bundleDtoSchema(cls, PREFIX, this.dto(cls));
    const rename = new Map<string, string>();
    for (const [k, v] of Object.entries(defs)) rename.set(k, this.freeName(k, v));
    const map = (ref: string): string => {
      const n = ref.startsWith(PREFIX) ? ref.slice(PREFIX.length) : undefined;
      return n !== undefined && rename.has(n) ? PREFIX + (rename.get(n) as string) : ref;
    };
    for (const [k, v] of Object.entries(defs)) this.schemas[rename.get(k) as string] = rewriteRefs(v, map);
    const ref = { $ref: PREFIX + (rename.get(name) as string) };
    this.refs.set(cls, ref);
    return ref;
  }

  /** Adds a named schema of Lokstra's own (envelopes); returns its `$ref`. */
  own(name: string, schema: JsonSchema): JsonSchema {
    this.schemas[name] ??= schema;
    return { $ref: PREFIX + name };
  }

  // The same name with the same shape is the same schema (a nested class reached from two DTOs).
  private freeName(name: string, schema: JsonSchema): string {
    const text = JSON.stringify(schema);
    for (let i = 1; ; i++) {
      const candidate = i === 1 ? name : `${name}_${i}`;
      const existing = this.schemas[candidate];
      if (existing === undefined || JSON.stringify(existing) === text) return candidate;
    }
  }
}

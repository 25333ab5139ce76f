import { optional } from '../../internal/optional';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import type { Class, Newable } from '../../internal/types';

/** class-transformer's entry point (with all its decorators and helpers), loaded for the first DTO that needs it. */
function plainToInstance(cls: Newable, plain: Record<string, unknown>): unknown {
  return optional.classTransformer().plainToInstance(cls, plain);
}

/** Builds a DTO instance from the bound plain values, as class-transformer's `plainToInstance` does. */
export type Instantiate = (plain: Record<string, unknown>) => object;

function hasTransformerMetadata(cls: Class): boolean {
  const s = defaultMetadataStorage;
  if (s.getStrategy(cls) !== 'none') return true;
  const proto = cls.prototype as object;
  return [s._typeMetadatas, s._transformMetadatas, s._exposeMetadatas, s._excludeMetadatas].some((map) =>
    [...map.keys()].some((k) => k === cls || (typeof k === 'function' && proto instanceof k)));
}

// A value class-transformer copies without looking at the class: a primitive, null, a Date, or an
// array of primitives.
function flat(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || v instanceof Date) return true;
  return Array.isArray(v) && v.every((el) => typeof el !== 'object' || el === null);
}

/**
 * `new cls()` + assignment when class-transformer would add nothing (no `@Type`, `@Transform`,
 * `@Expose`, `@Exclude` on the class or its ancestors, and only flat values); it keeps
 * class-transformer's rules: `__proto__`/`constructor` keys, methods and getter-only accessors are
 * skipped, arrays and dates are copied. Anything else goes through `plainToInstance`.
 */
export function compileInstantiate(cls: Class, fast = true): Instantiate {
  const slow: Instantiate = (plain) => plainToInstance(cls as Newable, plain) as object;
  if (!fast || hasTransformerMetadata(cls)) return slow;
  const proto = cls.prototype as object;
  const skip = new Set<string>(['__proto__', 'constructor']);
  for (const key of Object.getOwnPropertyNames(proto)) {
    const d = Object.getOwnPropertyDescriptor(proto, key);
    if (d !== undefined && d.set === undefined) skip.add(key);
  }
  const Ctor = cls as Newable;
  return (plain) => {
    const keys = Object.keys(plain);
    for (const key of keys) if (!flat(plain[key])) return slow(plain);
    const instance = new Ctor() as Record<string, unknown>;
    for (const key of keys) {
      if (skip.has(key) || instance[key] instanceof Function) continue;
      const v = plain[key];
      instance[key] = Array.isArray(v) ? v.slice() : v instanceof Date ? new Date(v.valueOf()) : v;
    }
    return instance;
  };
}

import { getMetadataStorage, type ValidationArguments } from 'class-validator';
import type { ValidationMetadata } from './class-model';
import type { Class } from '../internal/types';
import { descriptiveSchema, exactRuleSchema, referencePredicate } from './rules';
import type { JsonSchema, SchemaMode } from './types';

/** The name a rule reports in `meta.constraints` (its constraint's name, as class-validator does). */
export function ruleName(m: ValidationMetadata): string {
  return getMetadataStorage().getTargetValidatorConstraints(m.constraintCls)[0]?.name ?? m.name ?? m.type;
}

const BASE_PROBES: unknown[] = [
  undefined, null, '', 'a', 'ab', 'abc', 'abcdefghij', '\uFE0F', 'a\uFE0F', '\uD83D\uDE00', ' ', '0',
  0, -0, 1, -1, 0.5, 2, 150, 151, 1e21, NaN, Infinity, -Infinity, true, false, [], [1], ['a', 'b'], {}, { a: 1 },
];

function derivedProbes(c: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of c.flatMap((x) => (Array.isArray(x) ? x : typeof x === 'object' && x !== null ? Object.values(x) : [x]))) {
    out.push(v, String(v), Number(v));
    if (typeof v === 'number' && Number.isFinite(v)) {
      out.push(v - 1, v + 1, v - 0.5, v + 0.5);
      if (v >= 0 && v <= 1000) for (const n of [v - 1, v, v + 1]) if (n >= 0) out.push('x'.repeat(n), new Array<number>(n).fill(1));
    }
  }
  return out;
}

// A rule's verdict is kept per class-validator metadata record (the same objects every time a class
// is read): validation at boot, @Returns serialisers and the OpenAPI document probe each rule once.
const verdicts = new WeakMap<ValidationMetadata, boolean>();

function behavesAsBuiltIn(cls: Class, m: ValidationMetadata, name: string): boolean {
  let verdict = verdicts.get(m);
  if (verdict === undefined) {
    verdict = probe(cls, m, name);
    verdicts.set(m, verdict);
  }
  return verdict;
}

// A user rule registered under a built-in's name must not be compiled as the built-in: the rule
// qualifies only if it agrees with class-validator's own predicate on every probe value.
function probe(cls: Class, m: ValidationMetadata, name: string): boolean {
  const ref = referencePredicate(name);
  const constraints = getMetadataStorage().getTargetValidatorConstraints(m.constraintCls);
  const constraint = constraints[0];
  if (ref === undefined || constraints.length !== 1 || constraint === undefined || constraint.async) return false;
  const c = (m.constraints ?? []) as unknown[];
  try {
    return [...BASE_PROBES, ...derivedProbes(c)].every((value) => {
      const args: ValidationArguments = { value, constraints: c, targetName: cls.name, object: {}, property: m.propertyName };
      return Boolean(constraint.instance.validate(value, args)) === ref(value, c);
    });
  } catch {
    return false;
  }
}

/** One rule's schema: exact (JSON Schema accepts exactly what the rule accepts) or only descriptive. */
export function ruleSchema(cls: Class, m: ValidationMetadata, mode: SchemaMode): { schema: JsonSchema; exact: boolean; name: string } {
  const name = ruleName(m);
  const c = (m.constraints ?? []) as unknown[];
  const exactSchema = m.validateIf === undefined ? exactRuleSchema(name, c, mode) : undefined;
  const exact = exactSchema !== undefined && behavesAsBuiltIn(cls, m, name);
  const single = exact ? (exactSchema as JsonSchema) : descriptiveSchema(name, c);
  if (!m.each) return { schema: single, exact, name };
  // `each`: arrays (and Sets/Maps) have every element checked; any other value is checked itself. A
  // Set or Map reaches the `else` branch, so that branch must reject objects (a type, enum or const).
  const eachExact = exact && ('type' in single || 'enum' in single || 'const' in single);
  const schema = mode === 'validation' ? { if: { type: 'array' }, then: { items: single }, else: single } : { items: single };
  return { schema, exact: eachExact, name };
}

/** Combines fragments into one schema: keywords merge when they agree, the rest go into `allOf`. */
export function mergeFragments(fragments: JsonSchema[]): JsonSchema {
  const merged: JsonSchema = {};
  const rest: JsonSchema[] = [];
  for (let f of fragments) {
    // An integer is a number: `type: integer` with `type: number` is just an integer.
    if (f.type === 'number' && merged.type === 'integer') f = { ...f, type: 'integer' };
    if (f.type === 'integer' && merged.type === 'number') merged.type = 'integer';
    const clash = Object.keys(f).some((k) => k in merged && JSON.stringify(merged[k]) !== JSON.stringify(f[k]));
    if (clash) rest.push(f);
    else Object.assign(merged, f);
  }
  return rest.length === 0 ? merged : { ...merged, allOf: rest };
}

/** `@IsOptional()`: null is accepted as well (undefined is simply "not present"). */
export function orNull(schema: JsonSchema): JsonSchema {
  return Object.keys(schema).length === 0 ? schema : { anyOf: [{ type: 'null' }, schema] };
}

/** Stable `$defs` names per class (`Address`, `Address_2` for a second class of the same name). */
export class DefNames {
  private readonly names = new Map<Class, string>();
  private readonly taken = new Set<string>();

  /** The name of `cls` and whether it was newly assigned (its schema still has to be emitted). */
  of(cls: Class): { name: string; fresh: boolean } {
    const known = this.names.get(cls);
    if (known !== undefined) return { name: known, fresh: false };
    let name = cls.name || 'Anonymous';
    for (let i = 2; this.taken.has(name); i++) name = `${cls.name || 'Anonymous'}_${i}`;
    this.names.set(cls, name);
    this.taken.add(name);
    return { name, fresh: true };
  }
}

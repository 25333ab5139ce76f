import fc from 'fast-check';

/** A JSON Schema node of the generated document. */
export type Schema = { [keyword: string]: unknown };

/** Resolves `#/components/schemas/X` references against the document. */
export type Resolve = (ref: string) => Schema;

const EMAIL = fc.tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/), fc.stringMatching(/^[a-z]{1,10}$/), fc.constantFrom('com', 'org', 'io'))
  .map(([user, host, tld]) => `${user}@${host}.${tld}`);
const DATE_TIME = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());

function stringArb(s: Schema): fc.Arbitrary<string> {
  if (s.format === 'email') return EMAIL;
  if (s.format === 'date-time') return DATE_TIME;
  const min = (s.minLength as number | undefined) ?? 0;
  const max = (s.maxLength as number | undefined) ?? Math.max(min + 12, 12);
  // Letters and digits: free text is not what the property is about (the DTO compiler's own tests cover Unicode).
  return fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABC0123456789 '), minLength: min, maxLength: max });
}

function numberArb(s: Schema, integer: boolean): fc.Arbitrary<number> {
  const min = (s.minimum as number | undefined) ?? (s.exclusiveMinimum !== undefined ? (s.exclusiveMinimum as number) + 1 : -1000);
  const max = (s.maximum as number | undefined) ?? (s.exclusiveMaximum !== undefined ? (s.exclusiveMaximum as number) - 1 : 1000);
  return integer ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n));
}

/** Values the schema accepts (the subset of JSON Schema Lokstra's compiler emits). */
export function valid(s: Schema, resolve: Resolve, depth = 0): fc.Arbitrary<unknown> {
  if (typeof s.$ref === 'string') return valid(resolve(s.$ref), resolve, depth);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.anyOf)) return fc.oneof(...(s.anyOf as Schema[]).map((x) => valid(x, resolve, depth)));
  switch (s.type) {
    case 'string': return stringArb(s);
    case 'integer': return numberArb(s, true);
    case 'number': return numberArb(s, false);
    case 'boolean': return fc.boolean();
    case 'null': return fc.constant(null);
    case 'array': {
      const min = (s.minItems as number | undefined) ?? 0;
      return fc.array(valid((s.items ?? {}) as Schema, resolve, depth + 1), { minLength: min, maxLength: (s.maxItems as number | undefined) ?? Math.min(min + 3, depth > 2 ? min : min + 3) });
    }
    case 'object': return objectArb(s, resolve, depth);
    default: return fc.constant('x');
  }
}

function objectArb(s: Schema, resolve: Resolve, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const props = (s.properties ?? {}) as Record<string, Schema>;
  const required = new Set((s.required ?? []) as string[]);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, v] of Object.entries(props)) model[k] = valid(v, resolve, depth + 1);
  return fc.record(model, { requiredKeys: Object.keys(props).filter((k) => required.has(k)) }) as fc.Arbitrary<Record<string, unknown>>;
}

/** One way to break an object against its schema: a required property left out, or one property given a value of the wrong kind or out of range. */
export function invalidObject(s: Schema, resolve: Resolve): fc.Arbitrary<{ value: Record<string, unknown>; broken: string }> {
  const obj = typeof s.$ref === 'string' ? resolve(s.$ref) : s;
  const props = (obj.properties ?? {}) as Record<string, Schema>;
  const breakers: fc.Arbitrary<{ value: Record<string, unknown>; broken: string }>[] = [];
  const base = valid(obj, resolve) as fc.Arbitrary<Record<string, unknown>>;
  for (const k of (obj.required ?? []) as string[]) {
    breakers.push(base.map((v) => { const { [k]: _gone, ...rest } = v; return { value: rest, broken: `${k} missing` }; }));
  }
  for (const [k, p] of Object.entries(props)) {
    const bad = wrong(typeof p.$ref === 'string' ? resolve(p.$ref) : p);
    if (bad !== undefined) breakers.push(fc.tuple(base, bad).map(([v, b]) => ({ value: { ...v, [k]: b }, broken: `${k} = ${JSON.stringify(b)}` })));
  }
  return fc.oneof(...breakers);
}

/** Values the property's schema rejects (for the first schema of an `anyOf` that is not null). */
export function wrong(s: Schema): fc.Arbitrary<unknown> | undefined {
  const inner = Array.isArray(s.anyOf) ? (s.anyOf as Schema[]).find((x) => x.type !== 'null') ?? s : s;
  const options: fc.Arbitrary<unknown>[] = [];
  if (inner.type === 'string') {
    options.push(fc.integer(), fc.boolean());
    if (typeof inner.minLength === 'number' && inner.minLength > 0) options.push(fc.string({ unit: fc.constantFrom('a', 'b'), maxLength: inner.minLength - 1 }));
    if (inner.format === 'email') options.push(fc.constantFrom('not-an-email', 'a@', '@b.com'));
  }
  if (inner.type === 'integer' || inner.type === 'number') {
    options.push(fc.constantFrom('abc', true, [1]));
    if (typeof inner.maximum === 'number') options.push(fc.integer({ min: inner.maximum + 1, max: inner.maximum + 1000 }));
    if (typeof inner.minimum === 'number') options.push(fc.integer({ min: inner.minimum - 1000, max: inner.minimum - 1 }));
    if (inner.type === 'integer') options.push(fc.constant(1.5));
  }
  if (inner.type === 'array') {
    options.push(fc.constantFrom('x', 5));
    if (typeof inner.minItems === 'number' && inner.minItems > 0) options.push(fc.constant([]));
  }
  if (inner.type === 'object' || inner.properties !== undefined) options.push(fc.constantFrom('x', 5));
  if (Array.isArray(inner.enum)) options.push(fc.constant('__not_in_enum__'));
  return options.length === 0 ? undefined : fc.oneof(...options);
}

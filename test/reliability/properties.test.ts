/**
 * Property-based tests (fast-check) for RELIABILITY.md §A and §B: random JSON with adversarial keys
 * and depths, random strings for typed parameters checked against a reference implementation of
 * SPEC §4.3, random Content-Type spellings on a JSON DTO route, random encodings of a guarded path.
 * Invariants: never 5xx, never pollution, guarded never 2xx without credentials. Every request goes
 * over a raw loopback socket. Runs are bounded so the file stays well under 20 s.
 */
import fc from 'fast-check';
import { startReliabilityApp, type ReliabilityApp } from './helpers/app';
import { expectNoPollution, installFaultHooks } from './helpers/guard';
import { rawGet, rawRequest, type RawResponse } from './helpers/raw-http';

let app: ReliabilityApp;
const log = installFaultHooks(() => app?.live);
beforeAll(async () => { app = await startReliabilityApp(); });
afterAll(() => app.handle.close());

// A fixed seed per run keeps failures reproducible; FC_SEED=<n> replays another.
const SEED = Number(process.env.FC_SEED ?? Date.now() % 1_000_000);
const params = (numRuns: number): fc.Parameters<unknown> => ({ numRuns, seed: SEED, endOnFailure: true });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (res: RawResponse): any => JSON.parse(res.text);

function post(target: string, body: string, contentType: string | undefined = 'application/json'): Promise<RawResponse> {
  return rawRequest(app.port, { method: 'POST', target, headers: contentType === undefined ? {} : { 'Content-Type': contentType }, body }, { timeoutMs: 10_000 });
}

// ---- random JSON with adversarial keys --------------------------------------------------------

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** A JSON value as text, with what the oracle needs to know about it. */
interface Doc {
  text: string;
  /** Containers on the deepest path (a scalar is 0). */
  depth: number;
  forbiddenKey: boolean;
  nul: boolean;
}

/** Spells a key in JSON: as is, or with some characters as \uXXXX escapes (`\u005f_proto__`). */
const keySpelling = (key: string): fc.Arbitrary<string> => fc.array(fc.boolean(), { minLength: key.length, maxLength: key.length })
  .map((escapes) => [...key].map((ch, i) => (escapes[i] && ch.length === 1 ? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}` : JSON.stringify(ch).slice(1, -1))).join(''));

const keyArb: fc.Arbitrary<{ key: string; text: string }> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype') },
  { weight: 5, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.constantFrom('__proto', '_proto__', '__PROTO__', 'Constructor', 'toString', 'hasOwnProperty', 'a\u0000') },
).chain((key) => keySpelling(key).map((text) => ({ key, text })));

const scalarArb: fc.Arbitrary<Doc> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 6 }).map((s) => ({ text: JSON.stringify(s), depth: 0, forbiddenKey: false, nul: s.includes('\u0000') })),
  fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)).map((v) => ({ text: JSON.stringify(v), depth: 0, forbiddenKey: false, nul: false })),
);

const docArb: fc.Arbitrary<Doc> = fc.letrec<{ doc: Doc }>((tie) => ({
  doc: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarArb,
    fc.array(tie('doc'), { maxLength: 3 }).map((items) => ({
      text: `[${items.map((i) => i.text).join(',')}]`, depth: 1 + Math.max(0, ...items.map((i) => i.depth)),
      forbiddenKey: items.some((i) => i.forbiddenKey), nul: items.some((i) => i.nul),
    })),
    // Unique keys: with duplicates JSON keeps the last value, and the oracle below would not know which.
    fc.uniqueArray(fc.tuple(keyArb, tie('doc')), { maxLength: 3, selector: ([k]) => k.key }).map((entries) => ({
      text: `{${entries.map(([k, v]) => `"${k.text}":${v.text}`).join(',')}}`,
      depth: 1 + Math.max(0, ...entries.map(([, v]) => v.depth)),
      forbiddenKey: entries.some(([k, v]) => FORBIDDEN.has(k.key) || k.key.includes('\u0000') || v.forbiddenKey),
      nul: entries.some(([, v]) => v.nul),
    })),
  ),
})).doc;

/** Wraps a document in `levels` arrays or single-key objects. */
const deepArb: fc.Arbitrary<Doc> = fc.tuple(docArb, fc.integer({ min: 0, max: 90 }), fc.boolean()).map(([doc, levels, arrays]) => ({
  ...doc,
  text: arrays ? `${'['.repeat(levels)}${doc.text}${']'.repeat(levels)}` : `${'{"k":'.repeat(levels)}${doc.text}${'}'.repeat(levels)}`,
  depth: doc.depth + levels,
}));

describe('random JSON with adversarial keys and depths', () => {
  it('is answered 200 or 400 exactly as the rules say (prototype keys, NUL, depth > 64), never 5xx, never polluting', async () => {
    await fc.assert(fc.asyncProperty(deepArb, async (doc) => {
      const res = await post('/raw', doc.text);
      const rejected = doc.forbiddenKey || doc.nul || doc.depth > 64;
      expect(res.status).toBe(rejected ? 400 : 200);
      expect(json(res).success).toBe(!rejected);
      expectNoPollution(log.prototypes);
    }), params(150));
  });

  it('never lets an adversarial body through a validated DTO route, and never polluting', async () => {
    const extraArb = fc.uniqueArray(fc.tuple(keyArb, docArb), { maxLength: 4, selector: ([k]) => k.key }).filter((e) => e.every(([k]) => k.key !== 'name' && k.key !== 'email'));
    await fc.assert(fc.asyncProperty(extraArb, async (extra) => {
      const text = `{"name":"Ann","email":"ann@example.com"${extra.map(([k, v]) => `,"${k.text}":${v.text}`).join('')}}`;
      const res = await post('/users', text);
      expect(res.status).toBeLessThan(500);
      const bad = extra.some(([k, v]) => FORBIDDEN.has(k.key) || k.key.includes('\u0000') || v.forbiddenKey || v.nul || v.depth + 1 > 64);
      if (bad) expect(res.status).toBe(400);
      if (res.status === 201) {
        // Only the declared fields survive (whitelist).
        expect(Object.keys(json(res).data).sort()).toEqual(['email', 'name']);
      }
      expectNoPollution(log.prototypes);
    }), params(100));
  });
});

// ---- typed parameters against a reference implementation of SPEC §4.3 -------------------------

const ERROR = Symbol('error');

/** SPEC §4.3 number: `-?digits(.digits)?` with an optional exponent, finite; NUL is always an error. Written independently of src/. */
export function referenceNumber(s: string): number | typeof ERROR {
  let i = 0;
  const digits = (): number => {
    const start = i;
    while (i < s.length && (s[i] as string) >= '0' && (s[i] as string) <= '9') i++;
    return i - start;
  };
  if (s[i] === '-') i++;
  if (digits() === 0) return ERROR;
  if (s[i] === '.') {
    i++;
    if (digits() === 0) return ERROR;
  }
  if (s[i] === 'e' || s[i] === 'E') {
    i++;
    if (s[i] === '+' || s[i] === '-') i++;
    if (digits() === 0) return ERROR;
  }
  if (i !== s.length) return ERROR;
  const n = Number(s);
  return Number.isFinite(n) ? n : ERROR;
}

/** An `@IsInt` number: as above, and a safe integer. */
export function referenceInteger(s: string): number | typeof ERROR {
  const n = referenceNumber(s);
  return n !== ERROR && Number.isSafeInteger(n) ? n : ERROR;
}

/** SPEC §4.3 boolean: true/false/1/0 in any case; anything else an error. */
export function referenceBoolean(s: string): boolean | typeof ERROR {
  const lower = s.toLowerCase();
  if (lower === 'true' || lower === '1') return true;
  if (lower === 'false' || lower === '0') return false;
  return ERROR;
}

const numericText: fc.Arbitrary<string> = fc.oneof(
  fc.integer().map(String),
  fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map(String),
  fc.double().map(String),
  fc.stringMatching(/^[+-]?\d{0,22}(\.\d{0,4})?([eE][+-]?\d{0,4})?$/),
  fc.string({ unit: fc.constantFrom(...'0123456789.eE+-x _,\tInfinityNaN'.split(''), '\u0000', '٣'), maxLength: 10 }),
  fc.constantFrom('', ' 12 ', '12 ', '0x10', '1e3', '1E+3', 'Infinity', '-0', '00', '1e400', '9007199254740993', '9007199254740991', '.5', '5.', '+1'),
);
const booleanText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('true', 'false', '1', '0', 'TRUE', 'False', 'yes', 'no', 'on', 'off', '', ' true', 'true ', '01', '10', 'null', 'undefined', 't', 'f'),
  fc.string({ unit: fc.constantFrom(...'trueTRUEfalsFALS01 '.split(''), '\u0000'), maxLength: 6 }),
);

type Field = 'n' | 'i' | 'b';
const REFERENCE: Record<Field, (s: string) => unknown> = { n: referenceNumber, i: referenceInteger, b: referenceBoolean };

describe('typed query values follow SPEC §4.3', () => {
  it.each([['n (number)', 'n', numericText], ['i (integer)', 'i', numericText], ['b (boolean)', 'b', booleanText]] as const)('%s: converted exactly as the reference, otherwise 400 naming the field', async (_label, field, arb) => {
    await fc.assert(fc.asyncProperty(arb, async (text) => {
      const expected = REFERENCE[field](text);
      const res = await rawGet(app.port, `/typed?${field}=${encodeURIComponent(text)}`);
      if (expected === ERROR) {
        expect(res.status).toBe(400);
        expect(Object.keys(json(res).errors)).toEqual([field]);
      } else {
        expect(res.status).toBe(200);
        expect(json(res).data[field]).toBe(typeof expected === 'number' ? expected + 0 : expected);
      }
    }), params(120));
  });
});

// ---- Content-Type spellings on a JSON DTO route ------------------------------------------------

const caseShuffle = (s: string): fc.Arbitrary<string> => fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length })
  .map((upper) => [...s].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));
const ws = fc.string({ unit: fc.constantFrom(' ', '\t'), maxLength: 2 });
const contentTypeArb: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.tuple(ws, caseShuffle('application/json'), ws, fc.constantFrom('', ';', '; charset=utf-8', ';charset=UTF-8', '; charset="utf-8"', '; charset=latin1', '; boundary=x', ';;'), ws)
    .map((parts) => parts.join('')),
  fc.tuple(caseShuffle('application/json'), fc.constantFrom('x', '-patch+json', '+json', ' ,text/plain', '/x', '2')).map(([a, b]) => a + b),
  fc.tuple(fc.constantFrom('text/json', 'application/x-json', 'json', 'application/javascript', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', ''), ws).map(([a, b]) => a + b),
  fc.string({ unit: fc.constantFrom(...'applicationjson/;= \t+-'.split('')), maxLength: 20 }),
  fc.constant(undefined),
);
const invalidUser = fc.constantFrom('{"name":"A","email":"x"}', '{"name":"Ann"}', '{"email":"ann@example.com"}', '{"name":"Ann","email":"ann@example.com","age":-1}', '{"name":["Ann"],"email":"ann@example.com"}', '[]', '"str"', '{}');

describe('Content-Type spellings on a JSON DTO route', () => {
  it('an invalid body is validated (400) or refused (415), never 2xx; a valid one is created (201) or refused (415)', async () => {
    await fc.assert(fc.asyncProperty(contentTypeArb, invalidUser, async (ct, body) => {
      const bad = await post('/users', body, ct);
      expect([400, 415]).toContain(bad.status);
      const good = await post('/users', '{"name":"Ann","email":"ann@example.com"}', ct);
      expect([201, 400, 415]).toContain(good.status);
      // A content type that gets a valid JSON body created must have had the invalid one validated.
      if (good.status === 201) expect(json(bad).code).toBe('VALIDATION_ERROR');
    }), params(120));
  });
});

// ---- encodings of a guarded path ---------------------------------------------------------------

const hex = (c: string, upper: boolean): string => {
  const h = c.charCodeAt(0).toString(16).padStart(2, '0');
  return `%${upper ? h.toUpperCase() : h}`;
};
const charEncoding = (c: string): fc.Arbitrary<string> => fc.oneof(
  { weight: 4, arbitrary: fc.constant('plain') },
  { weight: 3, arbitrary: fc.constantFrom('lower', 'upper', 'case', 'double') },
).map((how) => {
  switch (how) {
    case 'lower': return hex(c, false);
    case 'upper': return hex(c, true);
    case 'case': return c.toUpperCase();
    case 'double': return `%25${hex(c, true).slice(1)}`;
    default: return c;
  }
});
const slash = fc.oneof({ weight: 6, arbitrary: fc.constant('/') }, { weight: 1, arbitrary: fc.constantFrom('//', '/./', '%2f', '%2F', '/x/../', '\\') });
const encodedPath = (path: string): fc.Arbitrary<string> => fc.tuple(...[...path].map((c) => (c === '/' ? slash : charEncoding(c))))
  .map((parts) => parts.join(''));
const guardedTargetArb: fc.Arbitrary<string> = fc.tuple(
  fc.constantFrom('/admin', '/admin/users'),
  fc.oneof({ weight: 3, arbitrary: fc.constantFrom('', '/', '?q=1') }, { weight: 2, arbitrary: fc.constantFrom('//', ';x=1', '%3B', '%20', '%09', '/.', '#f', '%00', '.json', '%2F') }),
  fc.constantFrom('', 'http://localhost'),
).chain(([path, suffix, prefix]) => encodedPath(path).map((p) => `${prefix}${p}${suffix}`));

describe('random encodings of a guarded path', () => {
  it('never answer 2xx without the credential; where the unguarded app answers 200 the guard answers 401/403', async () => {
    let served = 0;
    await fc.assert(fc.asyncProperty(guardedTargetArb, async (target) => {
      const [open, guarded] = await Promise.all([rawGet(app.openPort, target), rawGet(app.port, target)]);
      expect(open.status).toBeLessThan(500);
      expect(guarded.status).toBeLessThan(500);
      expect(guarded.status >= 200 && guarded.status < 300).toBe(false);
      if (open.status === 200) {
        served++;
        expect([401, 403]).toContain(guarded.status);
      }
    }), params(250));
    expect(served).toBeGreaterThanOrEqual(10);
  });
});

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { ValidateFunction } from 'ajv/dist/2020';
import { compileConfigValidator, useConfigValidator, validateConfig } from '../../src/config/validate';
import type { LokstraConfig } from '../../src/config/types';

// The built package validates configs with ajv standalone code generated at build time
// (scripts/build-config-validator.cjs); running from source compiles the schema at runtime. Both must
// accept and reject exactly the same configs with exactly the same messages.

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { generate } = require('../../scripts/build-config-validator.cjs') as { generate: () => string };

const DIR = join(__dirname, '.generated');
let standalone: ValidateFunction;
let runtime: ValidateFunction;

beforeAll(() => {
  mkdirSync(DIR, { recursive: true });
  const file = join(DIR, `config-validator-${process.pid}.js`);
  writeFileSync(file, generate());
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  standalone = require(file) as ValidateFunction;
  runtime = compileConfigValidator();
});

afterAll(() => {
  useConfigValidator(undefined);
  rmSync(DIR, { recursive: true, force: true });
});

function outcome(validate: ValidateFunction, config: unknown): string {
  useConfigValidator(validate);
  const warnings: string[] = [];
  try {
    const out = validateConfig(structuredClone(config) as LokstraConfig, (w) => warnings.push(w), 'config');
    return `ok ${JSON.stringify(out)} ${warnings.join('|')}`;
  } catch (err) {
    const e = err as Error & { code?: string; params?: unknown };
    return `${e.code ?? 'error'} ${e.message} ${JSON.stringify(e.params ?? null)} ${warnings.join('|')}`;
  }
}

const VALID = {
  server: { name: 'x', global_setting: { log_level: 'info' } },
  apps: [{ name: 'api', address: ':8080', middleware: ['cors'], routes: [{ method: 'GET', path: '/x', handler: 'h' }] }],
  services: [{ name: 'db', type: 'lokstra.dbpool_pg', config: { dsn: 'postgres://x' } }],
};

const CASES: [string, unknown][] = [
  ['a valid config', VALID],
  ['an unknown top-level key', { appz: [] }],
  ['a misspelt app key', { apps: [{ name: 'api', adress: ':0' }] }],
  ['a wrong type', { apps: [{ name: 'api', address: true }] }],
  ['a bad enum', { server: { global_setting: { log_level: 'loud' } } }],
  ['a missing app name', { apps: [{ address: ':0' }] }],
  ['a misspelt route key', { apps: [{ name: 'api', routes: [{ method: 'GET', path: '/x', handlr: 'h' }] }] }],
  ['a numeric string port', { apps: [{ name: 'api', address: ':0' }], server: { global_setting: { shutdown_timeout: '5' } } }],
  ['many errors at once', { appz: 1, server: 3, apps: [{}, { name: 1 }, { name: 'a', routes: 'x' }], services: [{ type: 2 }] }],
  ['a legacy Go key', { server: { global_setting: { listener_type: 'fasthttp' } }, apps: [] }],
  ['a secret value of the wrong type', { services: [{ name: 'db', type: 'lokstra.dbpool_pg', config: {} }], server: { global_setting: { log_level: 'info', password: 123 } } }],
  ['not an object', 'apps'],
];

const VALID_CASES = new Set(['a valid config', 'a numeric string port', 'a legacy Go key']);

describe('config validator: standalone (built package) = runtime (source)', () => {
  it.each(CASES)('%s', (what, config) => {
    const expected = outcome(runtime, config);
    expect(expected.startsWith(VALID_CASES.has(what) ? 'ok ' : 'LKS_ERR_CONFIG_INVALID ')).toBe(true);
    expect(outcome(standalone, config)).toBe(expected);
  });

  it('agrees on random mutations of a valid config', () => {
    const value = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }));
    const paths = fc.constantFrom(
      ['server', 'name'], ['server', 'global_setting', 'log_level'], ['server', 'global_setting', 'x'], ['apps', 0, 'address'],
      ['apps', 0, 'name'], ['apps', 0, 'middleware'], ['apps', 0, 'routes', 0, 'method'], ['apps', 0, 'routes', 0, 'path'],
      ['apps', 0, 'envelope'], ['services', 0, 'type'], ['services', 0, 'depends_on'], ['modules'], ['extra'],
    );
    fc.assert(fc.property(fc.array(fc.tuple(paths, value), { minLength: 1, maxLength: 3 }), (edits) => {
      const config = structuredClone(VALID) as Record<string, unknown>;
      for (const [path, v] of edits) {
        let node = config as Record<string | number, unknown>;
        for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string | number, unknown>;
        node[path[path.length - 1] as string] = v;
      }
      expect(outcome(standalone, config)).toBe(outcome(runtime, config));
    }), { numRuns: 300 });
  });
});

import { Lokstra, type AppConfig, type LokstraConfig } from '../../src/index';

// Issue 11: the TypeScript type of a config object rejects unknown keys. These lines are compiled by
// ts-jest and by `tsc --noEmit` (npm run typecheck); an `@ts-expect-error` that finds no error is
// itself a compile error, so each line below fails the build if the type starts accepting the key.

function typeChecks(): unknown[] {
  return [
    // @ts-expect-error 'adress' is not a key of an app
    Lokstra.build({ apps: [{ name: 'api', adress: ':8080' }] }),
    // @ts-expect-error 'log_levle' is not a global setting
    ((): LokstraConfig => ({ server: { global_setting: { log_levle: 'debug' } } }))(),
    // @ts-expect-error 'handlr' is not a route key
    ((): LokstraConfig => ({ apps: [{ name: 'api', routes: [{ method: 'GET', path: '/', handlr: 'h' }] }] }))(),
    // @ts-expect-error 'servics' is not a top-level key
    ((): LokstraConfig => ({ servics: [] }))(),
    // @ts-expect-error 'dependson' is not a service key
    ((): LokstraConfig => ({ services: [{ name: 'db', type: 'lokstra.dbpool_pg', dependson: [] }] }))(),
    // @ts-expect-error a log level outside the enum
    ((): LokstraConfig => ({ server: { global_setting: { log_level: 'loud' } } }))(),
    // The right keys compile.
    ((): AppConfig => ({ name: 'api', address: ':8080', middleware: ['cors'], routes: [{ method: 'GET', path: '/', handler: 'h' }] }))(),
    ((): LokstraConfig => ({ server: { global_setting: { log_level: 'debug', body_limit: '1mb', trust_proxy: ['10.0.0.0/8'] } } }))(),
  ];
}

describe('config object type', () => {
  it('compiles: every @ts-expect-error above names a rejected key', () => {
    expect(typeof typeChecks).toBe('function');
  });
});

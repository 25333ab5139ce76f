import 'reflect-metadata';
import { Context, defineModule, Get, Lokstra, LokstraError, Module, Route, type LokstraConfig, type MiddlewareFn } from '../../src/index';
import { memoryLogger } from '../helpers/memory-logger';

// Issue 11: a config object given in code is validated by the same JSON Schema as YAML
// (`Lokstra.run({ apps: [{ adress: … }] })` used to boot silently on :8080).

async function bootError(config: unknown, run = false): Promise<LokstraError> {
  const options = { logger: memoryLogger(), handleSignals: false };
  const started = run ? Lokstra.run(config as LokstraConfig, options) : Lokstra.build(config as LokstraConfig, options);
  const result = await started.then(async (h) => { await h.close(); return undefined; }, (e: unknown) => e);
  if (!LokstraError.is(result)) throw new Error(`expected a LokstraError, got ${String(result)}`);
  return result;
}

@Route('/hello')
class HelloController {
  @Get('/') hello() { return { hi: true }; }
}

@Module({ controllers: [HelloController] })
class HelloModule {}

describe('config objects: the same schema as YAML', () => {
  it('rejects a misspelt app key with its key path and a suggestion, before listening', async () => {
    const err = await bootError({ apps: [{ name: 'api', adress: ':0' }] }, true);
    expect(err.code).toBe('LKS_ERR_CONFIG_INVALID');
    expect(err.message).toMatch(/config object apps\.api\.adress: unknown key 'adress' \(did you mean 'address'\?\)/);
  });

  it.each([
    ['a misspelt global setting', { server: { global_setting: { log_levle: 'debug' } } }, /server\.global_setting\.log_levle: unknown key 'log_levle' \(did you mean 'log_level'\?\)/],
    ['an unknown top-level key', { appz: [] }, /appz: unknown key 'appz' \(did you mean 'apps'\?\)/],
    ['a wrong type', { apps: [{ name: 'api', address: true }] }, /apps\.api\.address/],
    ['a bad enum value', { server: { global_setting: { log_level: 'loud' } } }, /server\.global_setting\.log_level: expected one of/],
    ['a misspelt route key', { apps: [{ name: 'api', routes: [{ method: 'GET', path: '/x', handlr: 'h' }] }] }, /apps\.api\.routes\[0\]\.handlr: unknown key 'handlr' \(did you mean 'handler'\?\)/],
    ['a missing app name', { apps: [{ address: ':0' }] }, /apps\[0\]: missing required key 'name'/],
  ])('rejects %s', async (_what, config, message) => {
    const err = await bootError(config);
    expect(err.code).toBe('LKS_ERR_CONFIG_INVALID');
    expect(err.message).toMatch(message);
  });

  it('accepts code values where YAML has names: classes, functions, code modules', async () => {
    const stamp: MiddlewareFn = async (ctx, next) => next();
    const coded = defineModule({ name: 'coded' });
    const config: LokstraConfig = {
      apps: [{
        name: 'api', address: ':0', middleware: [stamp, 'request_id'], controllers: [HelloController],
        routes: [{ method: 'GET', path: '/fn', handler: (ctx: Context) => ctx.ok('fn') }],
        groups: [{ prefix: '/g', middleware: [{ name: 'cors', config: { allowed_origins: ['*'] } }], routes: [] }],
      }],
      modules: [HelloModule, coded],
    };
    const h = await Lokstra.build(config, { logger: memoryLogger() });
    try {
      expect((await h.apps[0]!.inject({ method: 'GET', url: '/fn' })).statusCode).toBe(200);
      expect((await h.apps[0]!.inject({ method: 'GET', url: '/hello' })).statusCode).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('does not change the object it validated', async () => {
    const config = { server: { global_setting: { log_level: 'warn' as const } }, apps: [{ name: 'api', address: ':0' }] };
    const before = JSON.stringify(config);
    const h = await Lokstra.build(config, { logger: memoryLogger() });
    await h.close();
    expect(JSON.stringify(config)).toBe(before);
  });

  it('warns about a legacy Go key instead of failing', async () => {
    const logger = memoryLogger();
    const h = await Lokstra.build({ server: { name: 's', listener_type: 'fasthttp' }, apps: [{ name: 'api', address: ':0' }] } as LokstraConfig, { logger });
    await h.close();
    expect(logger.lines.some((l) => l.level === 'warn' && /listener_type/.test(l.message))).toBe(true);
  });
});

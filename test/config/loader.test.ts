import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IsInt, IsString, Min } from 'class-validator';
import { Context, defineModule, Inject, Lokstra, LokstraError, Service, loadConfig, type MiddlewareFn } from '../../src/index';

// Temporary config folders, removed after the file's tests.
const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lokstra-cfg-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => { for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true }); });

const F = join(__dirname, 'fixtures');

async function loadError(input: string, env: NodeJS.ProcessEnv = {}): Promise<LokstraError> {
  try {
    await loadConfig(input, { cwd: F, env });
  } catch (err) {
    if (LokstraError.is(err)) return err;
    throw err;
  }
  throw new Error('expected the config to be rejected');
}

describe('config: bad input fails before any port is bound, naming file:line:col', () => {
  it.each([
    ['tab indentation', 'bad/tab.yaml', 'LKS_ERR_CONFIG_PARSE', /tab\.yaml:2:\d+/],
    ['a duplicate key', 'bad/duplicate.yaml', 'LKS_ERR_CONFIG_PARSE', /duplicate\.yaml:3:\d+/],
    ['bad indentation', 'bad/indent.yaml', 'LKS_ERR_CONFIG_PARSE', /indent\.yaml:\d+:\d+/],
    ['a !!js/function tag', 'bad/js-function.yaml', 'LKS_ERR_CONFIG_PARSE', /js-function\.yaml:2:\d+.*custom tags/],
    ['an alias bomb', 'bad/alias-bomb.yaml', 'LKS_ERR_CONFIG_PARSE', /alias/i],
  ])('rejects %s', async (_what, file, code, message) => {
    const err = await loadError(file);
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
  });

  it('rejects a typo\'d key with a suggestion and its position', async () => {
    const err = await loadError('bad/typo.yaml');
    expect(err.code).toBe('LKS_ERR_CONFIG_INVALID');
    expect(err.message).toMatch(/typo\.yaml:3:5 apps\[0\]\.adress: unknown key 'adress' \(did you mean 'address'\?\)/);
  });

  it('rejects an address that is not a host:port', async () => {
    const err = await loadError('bad/port.yaml');
    expect(err.code).toBe('LKS_ERR_CONFIG_INVALID');
    expect(err.message).toMatch(/port\.yaml:3:\d+ apps\[0\]\.address: expected .*found string "abc"/);
  });

  it('rejects a negative body_limit max_size', async () => {
    const err = await loadError('bad/max-size.yaml');
    expect(err.code).toBe('LKS_ERR_CONFIG_INVALID');
    expect(err.message).toMatch(/apps\[0\]\.middleware\[0\]\.config\.max_size/);
  });

  it('rejects a missing environment variable, naming it and the key path, without printing the DSN', async () => {
    const err = await loadError('bad/missing-env.yaml');
    expect(err.code).toBe('LKS_ERR_CONFIG_ENV_MISSING');
    expect(err.params.variable).toBe('DB_PASSWORD');
    expect(err.message).toMatch(/missing-env\.yaml:5:\d+ services\[0\]\.config\.dsn/);
    expect(err.message).not.toContain('postgres://');
  });

  it('rejects an include that points outside the config directory', async () => {
    const err = await loadError('bad/include-outside.yaml');
    expect(err.code).toBe('LKS_ERR_CONFIG_INVALID');
    expect(err.message).toMatch(/outside the config directory/);
  });

  it('rejects an include loop, listing it', async () => {
    const err = await loadError('bad/include-loop.yaml');
    expect(err.code).toBe('LKS_ERR_CONFIG_INVALID');
    expect(err.message).toMatch(/loop-a\.yaml -> loop-b\.yaml -> loop-a\.yaml/);
  });

  it('never prints a secret value in a schema error', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.yaml'), 'services:\n  - name: db\n    type: lokstra.dbpool_pg\n    config:\n      password: [hunter2]\n');
    const err = await loadConfig(join(dir, 'c.yaml')).catch((e: LokstraError) => e);
    expect(LokstraError.is(err)).toBe(true);
    expect((err as LokstraError).message).not.toContain('hunter2');
  });
});

describe('config: loading', () => {
  it('merges a directory in lexical order: server deep-merged, apps matched by name with lists appended', async () => {
    const { config } = await loadConfig('dir', { cwd: F, env: {} });
    expect(config.server).toEqual({ name: 'shop', global_setting: { log_level: 'info', shutdown_timeout: '5s' } });
    const api = config.apps?.find((a) => a.name === 'api');
    expect(api?.middleware).toEqual(['tag_a', 'tag_b']);
    expect(api?.routes?.map((r) => r.path)).toEqual(['/ping', '/store']);
    expect(config.apps?.map((a) => a.name)).toEqual(['api', 'admin']);
  });

  it('adds the production profile folder when LOKSTRA_ENV=production', async () => {
    const { config } = await loadConfig('dir', { cwd: F, env: { LOKSTRA_ENV: 'production' } });
    expect(config.server?.global_setting?.log_level).toBe('warn');
    expect(config.services).toEqual([{ name: 'store', type: 'test.store', config: { label: 'prod', size: 1 } }]);
    expect(config.apps?.find((a) => a.name === 'admin')?.routes?.map((r) => r.path)).toEqual(['/admin/ping', '/admin/prod']);
  });

  it('loads lokstra.<env>.yaml beside a file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'lokstra.config.yaml'), 'server:\n  name: base\n  global_setting: { log_level: info }\n');
    writeFileSync(join(dir, 'lokstra.staging.yaml'), 'server:\n  global_setting: { log_level: debug }\n');
    const { config } = await loadConfig(join(dir, 'lokstra.config.yaml'), { env: { LOKSTRA_ENV: 'staging' } });
    expect(config.server).toEqual({ name: 'base', global_setting: { log_level: 'debug' } });
  });

  it('discovers lokstra.config.yaml with cosmiconfig when given nothing', async () => {
    const { config, source } = await loadConfig(undefined, { cwd: join(F, 'includes'), env: {} });
    expect(source).toMatch(/includes\/lokstra\.config\.yaml$/);
    expect(config.apps?.[0]?.name).toBe('api');
  });

  it('resolves nested load_from relative to the including file', async () => {
    const { config } = await loadConfig('includes/lokstra.config.yaml', { cwd: F, env: {} });
    const group = config.apps?.[0]?.groups?.[0];
    expect(group?.routes?.map((r) => r.path)).toEqual(['/users']);
    expect(group?.groups?.[0]?.prefix).toBe('/admin');
    expect(group?.groups?.[0]?.routes?.map((r) => r.path)).toEqual(['/stats']);
  });

  it('interpolates ${NAME:default} with typed whole scalars; quoted stays a string; $${ escapes', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.yaml'), [
      'server:',
      '  name: "${NAME:shop}"',
      '  global_setting:',
      '    max_param_length: ${MAX_PARAM:200}',
      '    ignore_trailing_slash: ${SLASH:false}',
      'services:',
      '  - name: db',
      '    type: lokstra.dbpool_pg',
      '    config:',
      '      dsn: ${DSN:postgres://u@127.0.0.1:5432/db}',
      '      password: ${PW:123456}',
      '      host: "$${NOT_A_VAR}"',
      '      schema: "${HOST:localhost}:${PORT:80}"',
      '      database: ${ENV:SOURCE_VAR:fallback}',
    ].join('\n'));
    const { config } = await loadConfig(join(dir, 'c.yaml'), { env: { MAX_PARAM: '300', SOURCE_VAR: 'set' } });
    expect(config.server?.name).toBe('shop');
    expect(config.server?.global_setting?.max_param_length).toBe(300);
    expect(config.server?.global_setting?.ignore_trailing_slash).toBe(false);
    expect(config.services?.[0]?.config).toEqual({
      dsn: 'postgres://u@127.0.0.1:5432/db', password: '123456', host: '${NOT_A_VAR}', schema: 'localhost:80', database: 'set',
    });
  });

  it('applies LOKSTRA_* overrides by path and by entry name, and ignores other LOKSTRA_ variables', async () => {
    const { config } = await loadConfig('dir', {
      cwd: F,
      env: { LOKSTRA_SERVER__GLOBAL_SETTING__LOG_LEVEL: 'debug', LOKSTRA_APPS__admin__ADDRESS: '127.0.0.1:9999', LOKSTRA_SERVICES__store__CONFIG__SIZE: '5', LOKSTRA_DEBUG: '1', LOKSTRA_TEST_PG_URL: 'x' },
    });
    expect(config.server?.global_setting?.log_level).toBe('debug');
    expect(config.apps?.find((a) => a.name === 'admin')?.address).toBe('127.0.0.1:9999');
    expect(config.services?.[0]?.config?.size).toBe(5);
  });

  it('rejects an override for an unknown entry', async () => {
    const err = await loadError('dir', { LOKSTRA_APPS__nope__ADDRESS: ':1' });
    expect(err.code).toBe('LKS_ERR_CONFIG_INVALID');
    expect(err.message).toMatch(/LOKSTRA_APPS__nope__ADDRESS/);
  });

  it('removes legacy Go keys with a warning instead of failing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.yaml'), 'apps:\n  - name: api\n    address: ":0"\n    listener_type: fasthttp\n');
    const { config, warnings } = await loadConfig(join(dir, 'c.yaml'), { env: {} });
    expect(config.apps?.[0]).toEqual({ name: 'api', address: ':0' });
    expect(warnings[0]).toMatch(/c\.yaml:4:5 apps\[0\]\.listener_type/);
  });

  it('validates the sample lokstra.config.yaml', async () => {
    const { config } = await loadConfig(join(__dirname, '..', '..', 'lokstra.config.yaml'), { env: {} });
    expect(config.apps?.map((a) => a.name)).toEqual(['api', 'admin']);
  });
});

describe('config: building a deployment from a directory with a profile', () => {
  function tag(name: string): MiddlewareFn {
    return async (ctx: Context, next) => {
      ctx.set('tags', [...(ctx.get<string[]>('tags') ?? []), name]);
      return next();
    };
  }
  const mod = defineModule({
    name: 'fixture',
    handlers: {
      ping: (ctx: Context) => ctx.ok({ tags: ctx.get('tags') ?? [] }),
      store: (ctx: Context) => ctx.ok(ctx.container.get('store')),
    },
    middleware: { tag_a: () => tag('a'), tag_b: () => tag('b') },
    serviceFactories: { 'test.store': (config) => ({ ...config }) },
  });

  it('boots two apps whose routes, middleware chains and services match the files', async () => {
    const prev = process.env.LOKSTRA_ENV;
    process.env.LOKSTRA_ENV = 'production';
    try {
      const h = await Lokstra.build('dir', { cwd: F, modules: [mod] });
      const routes = h.routes.map((r) => `${r.app} ${r.method} ${r.url} [${r.middleware.join(',')}]`).sort();
      expect(routes).toEqual([
        'admin GET /admin/ping []', 'admin GET /admin/prod []',
        'api GET /ping [tag_a,tag_b]', 'api GET /store [tag_a,tag_b]',
      ]);
      const api = h.apps.find((a) => a.name === 'api')!;
      expect((await api.inject('/ping')).json().data).toEqual({ tags: ['a', 'b'] });
      expect((await api.inject('/store')).json().data).toEqual({ label: 'prod', size: 1 });
      expect(h.settings.logLevel).toBe('warn');
      expect(h.settings.shutdownTimeout).toBe(5000);
      await h.close();
    } finally {
      if (prev === undefined) delete process.env.LOKSTRA_ENV;
      else process.env.LOKSTRA_ENV = prev;
    }
  });

  it('reports unknown handler, middleware, service type and controller names with the registered names', async () => {
    const cases: [object, string][] = [
      [{ apps: [{ name: 'api', address: ':0', routes: [{ method: 'GET', path: '/x', handler: 'nope' }] }] }, 'LKS_ERR_ROUTE_HANDLER_NOT_FOUND'],
      [{ apps: [{ name: 'api', address: ':0', middleware: ['nope'] }] }, 'LKS_ERR_MIDDLEWARE_NOT_FOUND'],
      [{ services: [{ name: 's', type: 'nope' }] }, 'LKS_ERR_DI_UNKNOWN_FACTORY'],
      [{ apps: [{ name: 'api', address: ':0', controllers: ['NopeController'] }] }, 'LKS_ERR_ROUTE_CONTROLLER_NOT_FOUND'],
    ];
    for (const [config, code] of cases) {
      const err = await Lokstra.build(config, { modules: [mod] }).catch((e: LokstraError) => e);
      expect(LokstraError.is(err) && err.code).toBe(code);
      expect((err as LokstraError).message).toMatch(/registered.*(ping|tag_a|test\.store|fixture)/);
    }
  });
});

describe('config: typed module settings', () => {
  class BillingSettings {
    @IsString() currency!: string;
    @IsInt() @Min(1) retries!: number;
  }
  @Service()
  class Billing {
    constructor(readonly settings: BillingSettings, @Inject('billing.settings') readonly byName: BillingSettings) {}
  }
  const billing = defineModule({ name: 'billing', settings: BillingSettings, services: [Billing] });

  it('validates settings with the module\'s class and injects them', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.yaml'), 'modules:\n  - name: billing\n    settings: { currency: EUR, retries: 3 }\n');
    const h = await Lokstra.build(join(dir, 'c.yaml'), { modules: [billing] });
    const svc = h.getService(Billing);
    expect(svc.settings).toBeInstanceOf(BillingSettings);
    expect(svc.settings).toEqual({ currency: 'EUR', retries: 3 });
    expect(svc.byName).toBe(svc.settings);
    await h.close();
  });

  it('rejects invalid settings at the key path', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.yaml'), 'modules:\n  - name: billing\n    settings: { currency: EUR, retries: 0 }\n');
    const err = await Lokstra.build(join(dir, 'c.yaml'), { modules: [billing] }).catch((e: LokstraError) => e);
    expect((err as LokstraError).code).toBe('LKS_ERR_CONFIG_INVALID');
    expect((err as LokstraError).message).toMatch(/c\.yaml:3:\d+ modules\[0\]\.settings\.retries/);
  });

  it('validates settings against a JSON Schema fragment', async () => {
    const mod = defineModule({ name: 'mail', settings: { type: 'object', properties: { from: { type: 'string' } }, required: ['from'], additionalProperties: false } });
    const bad = await Lokstra.build({ modules: [mod, { name: 'mail', settings: { form: 'x' } }] }).catch((e: LokstraError) => e);
    expect((bad as LokstraError).code).toBe('LKS_ERR_CONFIG_INVALID');
    const h = await Lokstra.build({ modules: [mod, { name: 'mail', settings: { from: 'a@b.c' } }] });
    expect(h.getService('mail.settings')).toEqual({ from: 'a@b.c' });
    await h.close();
  });
});

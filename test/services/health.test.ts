import 'reflect-metadata';
import {
  defineModule, HEALTH_CHECK, Lokstra, LokstraError, type HealthCheck, type HealthCheckFn, type HealthService, type LokstraHandle, type ServiceConfig,
} from '../../src/index';
import { quietLogger } from './helpers/quiet';

// Checks contributed by services of type `test.check`: each service's behaviour is looked up by its name.
const behaviours = new Map<string, HealthCheckFn>();
const calls = new Map<string, number>();
const checks = defineModule({
  name: 'checks',
  serviceFactories: {
    'test.check': (config, ctx) => ({
      [HEALTH_CHECK]: (): HealthCheck => ({
        name: ctx.name,
        ...(config.critical === undefined ? {} : { critical: config.critical as boolean }),
        check: (signal) => {
          calls.set(ctx.name, (calls.get(ctx.name) ?? 0) + 1);
          return (behaviours.get(ctx.name) as HealthCheckFn)(signal);
        },
      }),
    }),
  },
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function boot(opts: { health?: Record<string, unknown>; services?: ServiceConfig[]; apps?: { name: string; address: string; routes?: { method: 'GET'; path: string; handler: string }[] }[] } = {}): Promise<LokstraHandle> {
  return Lokstra.build({
    services: [...(opts.services ?? []), { name: 'health', type: 'lokstra.health_check', config: { checks: [{ name: 'disk', enabled: false }], ...opts.health } }],
    apps: opts.apps ?? [{ name: 'api', address: ':0' }],
  }, { modules: [checks], logger: quietLogger() });
}

describe('lokstra.health_check', () => {
  let h: LokstraHandle | undefined;
  beforeEach(() => {
    behaviours.clear();
    calls.clear();
  });
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  const api = (i = 0) => h!.apps[i]!;

  it('aggregates contributed and built-in checks at /health, with live, ready and per-check routes on the first app', async () => {
    behaviours.set('db', () => ({ status: 'healthy', details: { total: 1 } }));
    behaviours.set('cache', () => true);
    h = await boot({ services: [{ name: 'db', type: 'test.check', config: { critical: true } }, { name: 'cache', type: 'test.check' }], health: { checks: [] } });
    const res = await api().inject('/health');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body).toMatchObject({ code: 'OK', success: true, data: { status: 'healthy' } });
    expect(Object.keys(body.data.checks).sort()).toEqual(['cache', 'db', 'disk', 'memory']);
    expect(body.data.checks.db).toMatchObject({ status: 'healthy', critical: true, details: { total: 1 } });
    expect(body.data.checks.cache).toMatchObject({ status: 'healthy', critical: false });
    expect(typeof body.data.checks.db.durationMs).toBe('number');
    expect((await api().inject('/health/live')).json().data).toEqual({ status: 'alive' });
    expect((await api().inject('/health/ready')).json().data).toMatchObject({ status: 'ready' });
    expect((await api().inject('/health/db')).json().data).toMatchObject({ name: 'db', status: 'healthy' });
    const unknown = await api().inject('/health/nope');
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'NOT_FOUND']);
  });

  it('answers 503 when a critical check is unhealthy, and stays 200 (degraded) for a non-critical one', async () => {
    behaviours.set('db', () => 'healthy');
    behaviours.set('mailer', () => false);
    h = await boot({ services: [{ name: 'db', type: 'test.check', config: { critical: true } }, { name: 'mailer', type: 'test.check' }] });
    let res = await api().inject('/health/ready');
    expect([res.statusCode, res.json().data.status]).toEqual([200, 'ready']);
    res = await api().inject('/health');
    expect([res.statusCode, res.json().data.status]).toEqual([200, 'degraded']);
    expect(res.json().data.checks.mailer.status).toBe('unhealthy');
    expect((await api().inject('/health/mailer')).statusCode).toBe(503);

    behaviours.set('db', () => ({ status: 'degraded', message: 'replica lag' }));
    res = await api().inject('/health/ready');
    expect([res.statusCode, res.json().data.checks.db.message]).toEqual([200, 'replica lag']);

    behaviours.set('db', async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:5432'), { code: 'ECONNREFUSED' });
    });
    res = await api().inject('/health/ready');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE', success: false, data: { status: 'not_ready', reason: 'unhealthy' } });
    expect(res.json().data.checks.db).toMatchObject({ status: 'unhealthy', message: 'check failed: ECONNREFUSED' });
    expect(res.body).not.toContain('10.1.2.3');
    expect((await api().inject('/health')).statusCode).toBe(503);
  });

  it('runs checks concurrently, each within its timeout (the late one counts as unhealthy and is aborted)', async () => {
    let aborted = false;
    behaviours.set('a', () => sleep(150));
    behaviours.set('b', () => sleep(150));
    behaviours.set('slow', (signal) => new Promise((resolve) => {
      const t = setTimeout(resolve, 5_000);
      signal.addEventListener('abort', () => {
        aborted = true;
        clearTimeout(t);
      });
    }));
    h = await boot({
      services: ['a', 'b', 'slow'].map((name) => ({ name, type: 'test.check' })),
      health: { timeout: '300ms', checks: [{ name: 'disk', enabled: false }, { name: 'slow', critical: true, timeout: '200ms' }] },
    });
    const start = performance.now();
    const res = await api().inject('/health');
    const ms = performance.now() - start;
    expect(res.statusCode).toBe(503);
    expect(res.json().data.checks.slow).toMatchObject({ status: 'unhealthy', critical: true, message: "check 'slow' timed out after 200 ms" });
    expect(res.json().data.checks.a.status).toBe('healthy');
    expect(ms).toBeLessThan(450); // one after the other: 150 + 150 + 200 ms
    expect(aborted).toBe(true);
  });

  it('shares one run of a check between concurrent probes', async () => {
    behaviours.set('db', () => sleep(50));
    h = await boot({ services: [{ name: 'db', type: 'test.check' }] });
    await Promise.all([api().inject('/health'), api().inject('/health/ready'), api().inject('/health/db')]);
    expect(calls.get('db')).toBe(1);
  });

  it('is not ready while starting or shutting down', async () => {
    let duringStart: unknown;
    const probe = defineModule({
      name: 'probe',
      serviceFactories: {
        'test.probe': (_c, ctx) => ({ onStart: async () => { duringStart = await ctx.getService<HealthService>('health').readiness(); } }),
      },
    });
    h = await Lokstra.build({
      services: [{ name: 'health', type: 'lokstra.health_check' }, { name: 'probe', type: 'test.probe', depends_on: ['health'] }],
      apps: [{ name: 'api', address: ':0' }],
    }, { modules: [probe], logger: quietLogger() });
    expect(duringStart).toEqual({ ready: false, reason: 'starting' });
    const health = h.getService<HealthService>('health');
    expect((await health.readiness()).ready).toBe(true);
    await h.close();
    expect(await health.readiness()).toEqual({ ready: false, reason: 'shutting_down' });
  });

  it('takes custom checks registered in code, and per-check settings from the config', async () => {
    const custom = defineModule({
      name: 'custom',
      serviceFactories: {
        'test.registers': (_c, ctx) => {
          ctx.getService<HealthService>('health').register({ name: 'payments', check: () => 'degraded' });
          return {};
        },
      },
    });
    h = await Lokstra.build({
      services: [
        { name: 'health', type: 'lokstra.health_check', config: { checks: [
          { name: 'disk', enabled: false },
          { type: 'memory', max_heap_ratio: 0 },
          { name: 'payments', critical: true },
        ] } },
        { name: 'reg', type: 'test.registers', depends_on: ['health'] },
      ],
      apps: [{ name: 'api', address: ':0' }],
    }, { modules: [custom], logger: quietLogger() });
    const res = await api().inject('/health');
    expect(res.statusCode).toBe(200);
    expect(res.json().data.status).toBe('degraded');
    expect(res.json().data.checks.payments).toMatchObject({ status: 'degraded', critical: true });
    expect(res.json().data.checks.memory).toMatchObject({ status: 'degraded', critical: false });
    expect(res.json().data.checks.disk).toBeUndefined();
    expect(() => h!.getService<HealthService>('health').register({ name: 'payments', check: () => true })).toThrow(/registered twice/);
  });

  it('reports free disk space and degrades below min_free', async () => {
    h = await boot({ health: { checks: [{ type: 'disk', path: '.', min_free: '1000000gb' }, { name: 'memory', enabled: false }] } });
    const disk = (await api().inject('/health/disk')).json().data;
    expect(disk).toMatchObject({ status: 'degraded', critical: false });
    expect(disk.details.free).toBeGreaterThan(0);
    expect(JSON.stringify(disk)).not.toContain(process.cwd());
  });

  it('mounts under a prefix on the named apps, or nowhere with apps: [] (handlers routed by hand)', async () => {
    const apps = [{ name: 'api', address: ':0' }, { name: 'admin', address: '127.0.0.1:0' }];
    h = await boot({ apps, health: { mount: { apps: ['admin'], prefix: '/status/' } } });
    expect((await api(1).inject('/status')).statusCode).toBe(200);
    expect((await api(1).inject('/status/ready')).statusCode).toBe(200);
    expect((await api(0).inject('/status')).statusCode).toBe(404);
    expect((await api(1).inject('/health')).statusCode).toBe(404);
    await h.close();
    h = await boot({
      apps: [{ name: 'api', address: ':0', routes: [{ method: 'GET', path: '/readyz', handler: 'health.ready' }, { method: 'GET', path: '/livez', handler: 'health.live' }] }],
      health: { mount: { apps: [] } },
    });
    expect((await api().inject('/readyz')).json().data.status).toBe('ready');
    expect((await api().inject('/livez')).statusCode).toBe(200);
    expect((await api().inject('/health')).statusCode).toBe(404);
  });

  it('fails boot when its handler names or routes collide with registered ones', async () => {
    const err = await Lokstra.build({ services: [{ name: 'health', type: 'lokstra.health_check' }], apps: [{ name: 'api', address: ':0' }] },
      { modules: [defineModule({ name: 'mine', handlers: { health: () => 'up' } })], logger: quietLogger() }).catch((e: unknown) => e);
    expect(LokstraError.is(err) && err.code).toBe('LKS_ERR_DI_DUPLICATE');
    const route = await boot({ apps: [{ name: 'api', address: ':0', routes: [{ method: 'GET', path: '/health/ready', handler: 'health.live' }] }] }).catch((e: unknown) => e);
    expect(LokstraError.is(route) && route.code).toBe('LKS_ERR_ROUTE_DUPLICATE');
  });

  it('rejects invalid check entries with the key path', async () => {
    for (const [cfg, path] of [
      [{ checks: [{ type: 'cpu' }] }, 'checks[0].type'],
      [{ checks: [{ critical: true }] }, 'checks[0].name'],
      [{ checks: [{ type: 'memory', max_heap_ratio: 2 }] }, 'checks[0].max_heap_ratio'],
      [{ mount: { prefix: 'health' } }, 'mount.prefix'],
      [{ mount: { app: ['x'] } }, 'mount.app'],
    ] as const) {
      const err = await boot({ health: cfg }).catch((e: unknown) => e);
      expect(LokstraError.is(err) && err.code).toBe('LKS_ERR_CONFIG_INVALID');
      expect((err as Error).message).toContain(`services.health.config.${path}`);
    }
  });
});

import 'reflect-metadata';
import { Agent } from 'node:http';
import { register as globalRegistry } from 'prom-client';
import { Context, defineModule, Lokstra, LokstraError, UNMATCHED_ROUTE, type LokstraHandle, type MetricsService } from '../../src/index';
import { freePort, get } from '../helpers/net';
import { quietLogger } from './helpers/quiet';

const routes = defineModule({
  name: 'metrics-routes',
  handlers: {
    'orders.get': (ctx: Context) => ctx.ok({ id: ctx.params.id }),
    'orders.fail': () => {
      throw new Error('boom');
    },
  },
});

async function boot(config: Record<string, unknown> = {}, apps = [{ name: 'api', address: ':0' }]): Promise<{ h: LokstraHandle; metrics: MetricsService }> {
  const h = await Lokstra.build({
    services: [{ name: 'metrics', type: 'lokstra.metrics', config: { default_metrics: false, ...config } }],
    apps: apps.map((a, i) => ({
      ...a,
      routes: i === 0 ? [{ method: 'GET' as const, path: '/orders/:id', handler: 'orders.get' }, { method: 'GET' as const, path: '/fail', handler: 'orders.fail' }] : [],
    })),
  }, { modules: [routes], logger: quietLogger() });
  return { h, metrics: h.getService<MetricsService>('metrics') };
}

async function series(metrics: MetricsService, name: string): Promise<{ labels: Partial<Record<string, string | number>>; value: number }[]> {
  const metric = metrics.registry.getSingleMetric(name);
  return metric ? (await metric.get()).values : [];
}

describe('lokstra.metrics', () => {
  let h: LokstraHandle | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('labels HTTP metrics by route template, method and status, and serves them at /metrics', async () => {
    let metrics: MetricsService;
    ({ h, metrics } = await boot());
    for (const id of ['1', '2', '3']) expect((await h.apps[0]!.inject(`/orders/${id}`)).statusCode).toBe(200);
    expect((await h.apps[0]!.inject('/fail')).statusCode).toBe(500);
    const res = await h.apps[0]!.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toContain('http_requests_total{method="GET",route="/orders/:id",status="200"} 3');
    expect(res.body).toContain('http_requests_total{method="GET",route="/fail",status="500"} 1');
    expect(res.body).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/orders\/:id",status="200"\} 3/);
    expect(res.body).not.toMatch(/route="\/orders\/\d"/);
    expect(metrics.registry).not.toBe(globalRegistry);
    expect(await globalRegistry.getMetricsAsJSON()).toEqual([]);
  });

  it('adds no series for 1,000 random unmatched paths: they share one label', async () => {
    let metrics: MetricsService;
    ({ h, metrics } = await boot());
    await h.apps[0]!.inject('/nope');
    const before = (await series(metrics, 'http_requests_total')).length;
    for (let i = 0; i < 1000; i++) {
      const res = await h.apps[0]!.inject(`/${Math.random().toString(36).slice(2)}/${i}`);
      expect(res.statusCode).toBe(404);
    }
    const after = await series(metrics, 'http_requests_total');
    expect(after).toHaveLength(before);
    expect(after.find((s) => s.labels.route === UNMATCHED_ROUTE && s.labels.status === '404')?.value).toBe(1001);
    expect((await metrics.metrics()).split('\n').filter((l) => l.startsWith('http_requests_total{')).length).toBe(before);
  });

  it('creates counters, gauges and histograms by name on its own registry (same name → same metric)', async () => {
    let metrics: MetricsService;
    ({ h, metrics } = await boot({ prefix: 'shop_' }));
    const created = metrics.counter('orders_created_total', 'Orders created', ['channel']);
    expect(metrics.counter('orders_created_total', 'Orders created', ['channel'])).toBe(created);
    created.inc({ channel: 'web' }, 2);
    metrics.gauge('queue_depth', 'Queue depth').set(7);
    metrics.histogram('charge_seconds', 'Charge time', [], [0.1, 1]).observe(0.5);
    expect(() => metrics.gauge('orders_created_total', 'x')).toThrow(/already registered, and is not a gauge/);
    const text = await metrics.metrics();
    expect(text).toContain('shop_orders_created_total{channel="web"} 2');
    expect(text).toContain('shop_queue_depth 7');
    expect(text).toContain('shop_charge_seconds_bucket{le="1"} 1');
    expect(text).toContain('shop_http_requests_total');
    const other = await boot({ prefix: 'shop_' });
    try {
      expect(await other.metrics.metrics()).not.toContain('shop_orders_created_total');
    } finally {
      await other.h.close();
    }
  });

  it('collects default process metrics unless disabled', async () => {
    let metrics: MetricsService;
    ({ h, metrics } = await boot({ default_metrics: true, prefix: 'app_' }));
    const text = await metrics.metrics();
    expect(text).toContain('app_process_cpu_user_seconds_total');
    expect(text).toContain('app_nodejs_heap_size_used_bytes');
  });

  it('mounts the endpoint at a configured path on the named app', async () => {
    ({ h } = await boot({ path: '/internal/metrics', apps: ['admin'] }, [{ name: 'api', address: ':0' }, { name: 'admin', address: '127.0.0.1:0' }]));
    expect((await h.apps[0]!.inject('/internal/metrics')).statusCode).toBe(404);
    expect((await h.apps[1]!.inject('/internal/metrics')).statusCode).toBe(200);
    expect((await h.apps[1]!.inject('/metrics')).statusCode).toBe(404);
  });

  it('serves the endpoint on its own address when configured, started and stopped with the service', async () => {
    const port = await freePort();
    let metrics: MetricsService;
    ({ h, metrics } = await boot({ address: `127.0.0.1:${port}` }));
    expect(metrics.address).toBe(`127.0.0.1:${port}`);
    expect((await h.apps[0]!.inject('/metrics')).statusCode).toBe(404);
    await h.apps[0]!.inject('/orders/9');
    const res = await get(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.body).toContain('http_requests_total{method="GET",route="/orders/:id",status="200"} 1');
    expect((await get(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    await h.close();
    await expect(get(`http://127.0.0.1:${port}/metrics`, new Agent({ keepAlive: false }))).rejects.toThrow(/ECONNREFUSED/);
  });

  it('rejects invalid config with the key path', async () => {
    for (const [config, key] of [[{ path: 'metrics' }, 'path'], [{ prefix: 'bad-prefix' }, 'prefix'], [{ address: 'nope:port' }, 'address'], [{ nope: 1 }, 'nope']] as const) {
      const err = await boot(config).catch((e: unknown) => e);
      expect(LokstraError.is(err) && err.code).toBe('LKS_ERR_CONFIG_INVALID');
      expect((err as Error).message).toContain(`services.metrics.config.${key}`);
    }
  });
});

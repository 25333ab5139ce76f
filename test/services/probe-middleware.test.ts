import 'reflect-metadata';
import { defineModule, Lokstra, type Context, type LokstraConfig, type LokstraHandle } from '../../src/index';
import { quietLogger } from './helpers/quiet';

// Issue 11: health and metrics routes can be exempted from the app's middleware
// (`mount: { middleware: false }` / metrics `middleware: false`), so probes work behind app auth.

const guard = defineModule({
  name: 'probe-guard',
  middleware: {
    auth: () => async (ctx: Context, next) => (ctx.headers['x-key'] === 'ok' ? next() : ctx.errorUnauthorized('no key')),
  },
  handlers: { secret: (ctx: Context) => ctx.ok('in') },
});

async function boot(health: Record<string, unknown>, metrics: Record<string, unknown>): Promise<LokstraHandle> {
  const config: LokstraConfig = {
    services: [
      { name: 'health', type: 'lokstra.health_check', config: { checks: [{ name: 'disk', enabled: false }], ...health } },
      { name: 'metrics', type: 'lokstra.metrics', config: { default_metrics: false, ...metrics } },
    ],
    apps: [{ name: 'api', address: '127.0.0.1:0', middleware: ['auth'], routes: [{ method: 'GET', path: '/secret', handler: 'secret' }] }],
  };
  const h = await Lokstra.build(config, { modules: [guard], logger: quietLogger() });
  await h.listen();
  return h;
}

// Over real HTTP, as a load balancer's probe or a scraper would ask.
async function get(h: LokstraHandle, url: string, headers: Record<string, string> = {}): Promise<{ statusCode: number; body: string }> {
  const res = await fetch(`${h.apps[0]!.url!}${url}`, { headers });
  return { statusCode: res.status, body: await res.text() };
}

describe('probe routes and app middleware', () => {
  it('guards health and metrics routes with the app middleware by default', async () => {
    const h = await boot({}, {});
    try {
      for (const url of ['/health', '/health/live', '/health/ready', '/metrics']) expect((await get(h, url)).statusCode).toBe(401);
      expect((await get(h, '/health/live', { 'x-key': 'ok' })).statusCode).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('serves health and metrics without the app middleware when exempted, and still guards the app', async () => {
    const h = await boot({ mount: { middleware: false } }, { middleware: false });
    try {
      expect((await get(h, '/health/live')).statusCode).toBe(200);
      expect((await get(h, '/health/ready')).statusCode).toBe(200);
      expect((await get(h, '/health')).statusCode).toBe(200);
      const metrics = await get(h, '/metrics');
      expect(metrics.statusCode).toBe(200);
      expect(metrics.body).toContain('http_requests_total');
      expect((await get(h, '/secret')).statusCode).toBe(401);
      expect((await get(h, '/secret', { 'x-key': 'ok' })).statusCode).toBe(200);
      const probes = h.routes.filter((r) => r.url.startsWith('/health') || r.url === '/metrics');
      expect(probes.length).toBe(5);
      for (const r of probes) expect(r.middleware).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it('rejects a non-boolean middleware key at boot', async () => {
    await expect(boot({ mount: { middleware: 'no' } }, {})).rejects.toMatchObject({ code: 'LKS_ERR_CONFIG_INVALID' });
  });
});

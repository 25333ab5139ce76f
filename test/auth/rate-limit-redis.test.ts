import type { LokstraHandle } from '../../src/index';
import { startFaultProxy, type FaultProxy } from '../reliability/helpers/fault-proxy';
import { hostPort } from '../reliability/helpers/servers';
import { describeWith, REDIS_URL, uniqueName } from '../services/helpers/servers';
import { build, captureLogger } from './harness';

function deployment(redisUrl: string, routes: { path: string; config: Record<string, unknown> }[]): never {
  return {
    server: { global_setting: { log_level: 'error' } },
    services: [{ name: 'redis', type: 'lokstra.redis', config: { url: redisUrl, command_timeout: '300ms', connect_timeout: '300ms' } }],
    apps: [{
      name: 'api', address: ':0',
      routes: routes.map((r) => ({ method: 'GET', path: r.path, handler: 'ok', middleware: [{ name: 'rate_limit', config: { store: 'redis', ...r.config } }] })),
    }],
  } as never;
}

describeWith(['Redis'], 'rate_limit on Redis', () => {
  it('two Lokstra instances share one budget', async () => {
    const namespace = uniqueName('rl');
    const routes = [{ path: '/r', config: { max: 5, window: '1m', namespace } }];
    const [a, b] = await Promise.all([build(deployment(REDIS_URL, routes), captureLogger().logger), build(deployment(REDIS_URL, routes), captureLogger().logger)]);
    try {
      const hit = (h: LokstraHandle) => h.apps[0]!.inject({ method: 'GET', url: '/r', remoteAddress: '198.51.100.77' });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await hit(i % 2 === 0 ? a : b)).statusCode);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      const last = await hit(a);
      expect(last.statusCode).toBe(429);
      expect(last.headers['ratelimit-limit']).toBe('5');
      // Another address has its own budget on both instances.
      expect((await b.apps[0]!.inject({ method: 'GET', url: '/r', remoteAddress: '198.51.100.78' })).statusCode).toBe(200);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  describe('when Redis goes away mid-test', () => {
    let proxy: FaultProxy;
    let h: LokstraHandle;
    const log = captureLogger();
    beforeAll(async () => {
      proxy = await startFaultProxy(hostPort(REDIS_URL));
      const namespace = uniqueName('rlf');
      h = await build(deployment(`redis://127.0.0.1:${proxy.port}`, [
        { path: '/closed', config: { max: 100, namespace: `${namespace}-c` } },
        { path: '/open', config: { max: 100, namespace: `${namespace}-o`, on_store_error: 'fail_open' } },
      ]), log.logger);
    });
    afterAll(async () => {
      await h.close();
      await proxy.close();
    });
    const timed = async (url: string): Promise<{ status: number; ms: number; body: string }> => {
      const started = Date.now();
      const res = await h.apps[0]!.inject({ method: 'GET', url });
      return { status: res.statusCode, ms: Date.now() - started, body: res.body };
    };

    it('counts through the proxy while Redis is there', async () => {
      expect((await timed('/closed')).status).toBe(200);
      expect((await timed('/open')).status).toBe(200);
    });

    it.each(['blackhole', 'reset', 'refuse'] as const)('%s: fail_closed answers 503 and fail_open lets requests through, within 1 s', async (mode) => {
      await proxy.set(mode);
      const closed = await timed('/closed');
      expect(closed.status).toBe(503);
      expect(JSON.parse(closed.body).code).toBe('SERVICE_UNAVAILABLE');
      expect(closed.body).not.toMatch(/redis|ECONN|127\.0\.0\.1/i);
      expect(closed.ms).toBeLessThan(1000);
      const open = await timed('/open');
      expect(open.status).toBe(200);
      expect(open.ms).toBeLessThan(1000);
      await proxy.set('pass');
    });

    it('recovers when Redis is back', async () => {
      await proxy.set('pass');
      const deadline = Date.now() + 5000;
      let status = 0;
      while (Date.now() < deadline && status !== 200) {
        status = (await timed('/closed')).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(200);
      expect(log.lines().some((l) => l.message === 'rate_limit: store failed')).toBe(true);
    });
  });
});

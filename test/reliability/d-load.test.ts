/**
 * RELIABILITY.md §D — load and connections, the short version that runs with `npm test` (well
 * under 60 s). The long version (30 s × 100 connections, 2,000 idle sockets, 100,000 paths) is
 * `npm run soak` (test/soak/). Loopback only, bounded in count and time.
 */
import { PassThrough } from 'node:stream';
import { createLogger, Lokstra, type LokstraConfig, type LokstraHandle } from '../../src/index';
import { freePort } from '../helpers/net';
import { childModule } from './fixtures/child-module';
import { installFaultHooks } from './helpers/guard';
import { record } from './helpers/report';
import { idleKeepAlive, randomPath, runLoad, seriesCount, silentConnections, slowClient, within } from './helpers/load';
import { rawGet, rawRequest, type RawConnection } from './helpers/raw-http';

jest.setTimeout(60_000);

let current: LokstraHandle | undefined;
let livePort = 0;
installFaultHooks(() => (current ? `http://127.0.0.1:${livePort}/health/live` : undefined));

/** A lean app (no request logging) on a free loopback port: POST /users (validated), GET /fast, health. */
async function start(settings: Record<string, unknown> = {}, services: unknown[] = []): Promise<{ handle: LokstraHandle; port: number; url: string }> {
  const port = await freePort();
  const config = {
    server: { global_setting: { log_level: 'warn', ...settings } },
    services: [{ name: 'health', type: 'lokstra.health_check' }, ...services],
    apps: [{
      name: 'api', address: `127.0.0.1:${port}`,
      routes: [{ method: 'POST', path: '/users', handler: 'users.create' }, { method: 'GET', path: '/fast', handler: 'fast' }, { method: 'GET', path: '/items/:id', handler: 'fast' }],
    }],
  } as LokstraConfig;
  const handle = await Lokstra.run(config, { modules: [childModule], logger: createLogger({ level: 'warn', stream: new PassThrough() }), handleSignals: false });
  current = handle;
  livePort = port;
  return { handle, port, url: `http://127.0.0.1:${port}` };
}

afterEach(async () => {
  // Declared after installFaultHooks, so its liveness probe runs first, against the open app.
  await current?.close();
  current = undefined;
});

const USER = JSON.stringify({ name: 'Grace Hopper', email: 'grace@example.com', age: 85 });

describe('D1 sustained load on a validated POST (CI: 5 s)', () => {
  it('answers every request 2xx with zero errors, and memory stays bounded', async () => {
    const { url } = await start();
    await runLoad({ url: `${url}/users`, method: 'POST', body: USER, connections: 20, durationS: 1 });
    const rssBefore = process.memoryUsage().rss;
    const res = await runLoad({ url: `${url}/users`, method: 'POST', body: USER, connections: 50, durationS: 5 });
    const rssAfter = process.memoryUsage().rss;
    record('reliability', 'load-ci', { connections: 50, ...res, rssBefore, rssAfter });
    expect(res.requests).toBeGreaterThan(500);
    expect(res).toMatchObject({ errors: 0, timeouts: 0, non2xx: 0 });
    expect(res.statuses['5xx']).toBe(0);
    // In-process (Jest, autocannon and the server share the heap): a loose bound; the soak measures the server alone.
    expect(rssAfter - rssBefore).toBeLessThan(150 * 1024 * 1024);
    // Invalid bodies under load are still 400s, not errors.
    const bad = await runLoad({ url: `${url}/users`, method: 'POST', body: '{"name":"x"}', connections: 10, durationS: 1 });
    expect(bad).toMatchObject({ errors: 0, timeouts: 0 });
    expect(bad.statuses['4xx']).toBe(bad.requests);
  });
});

describe('D2 slowloris and slow-body clients', () => {
  it('are cut by headers_timeout / request_timeout while other clients keep being served', async () => {
    const { port } = await start({ headers_timeout: '1s', request_timeout: '2s' });
    const slow = await Promise.all([
      ...Array.from({ length: 5 }, () => slowClient(port, 'slowloris')),
      ...Array.from({ length: 5 }, () => slowClient(port, 'slow-body')),
      ...Array.from({ length: 5 }, () => slowClient(port, 'silent')),
    ]);
    let served = 0;
    let failed = 0;
    const ticker = setInterval(() => { rawGet(port, '/fast').then((r) => (r.status === 200 ? served++ : failed++), () => failed++); }, 100);
    try {
      // Node checks these timeouts only every `connectionsCheckingInterval`: allow 1.5 s of slack.
      const cut = await Promise.all(slow.map((c) => within(c.closedAfter, 8000, Infinity)));
      const limits = slow.map((c) => (c.kind === 'slow-body' ? 2000 : 1000) + 1500);
      expect(cut.map((ms, i) => ({ kind: slow[i]?.kind, cut: ms <= (limits[i] as number) }))).toEqual(slow.map((c) => ({ kind: c.kind, cut: true })));
      const answers = slow.filter((c) => c.kind !== 'silent').map((c) => c.conn.received().toString('latin1'));
      for (const a of answers) expect(a).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      clearInterval(ticker);
      for (const c of slow) c.conn.destroy();
    }
    expect(served).toBeGreaterThan(10);
    expect(failed).toBe(0);
  });
});

describe('D3 idle keep-alive sockets', () => {
  it('500 idle keep-alive and 250 silent connections do not stop new requests', async () => {
    const { port, url } = await start({ keep_alive_timeout: '60s' });
    let idle: RawConnection[] = [];
    try {
      idle = [...await idleKeepAlive(port, 500), ...await silentConnections(port, 250)];
      const started = Date.now();
      const fresh = await Promise.all(Array.from({ length: 50 }, () => rawGet(port, '/fast')));
      expect(fresh.every((r) => r.status === 200)).toBe(true);
      expect(Date.now() - started).toBeLessThan(2000);
      const res = await runLoad({ url: `${url}/users`, method: 'POST', body: USER, connections: 10, durationS: 2 });
      expect(res).toMatchObject({ errors: 0, timeouts: 0, non2xx: 0 });
      // The idle keep-alive connections are still usable.
      const reused = idle[0] as RawConnection;
      await reused.write('GET /fast HTTP/1.1\r\nHost: x\r\n\r\n');
      expect((await reused.response()).status).toBe(200);
    } finally {
      for (const c of idle) c.destroy();
    }
  });
});

describe('D4 distinct random paths and the metrics series count', () => {
  it('5,000 random paths (matched, unmatched, wrong method) add no series to the HTTP metrics', async () => {
    const handle = await Lokstra.build({
      services: [{ name: 'metrics', type: 'lokstra.metrics', config: { default_metrics: false } }],
      apps: [{ name: 'api', address: ':0', routes: [{ method: 'GET', path: '/items/:id', handler: 'fast' }, { method: 'POST', path: '/users', handler: 'users.create' }] }],
    } as LokstraConfig, { modules: [childModule], logger: createLogger({ level: 'warn', stream: new PassThrough() }) });
    try {
      const app = handle.apps[0] as LokstraHandle['apps'][number];
      const requests = [
        () => app.inject(`/items/${Math.random().toString(36).slice(2)}`),
        () => app.inject(randomPath()),
        () => app.inject({ method: 'PUT', url: `/items/${Math.random().toString(36).slice(2)}` }),
        () => app.inject({ method: 'DELETE', url: randomPath() }),
      ];
      for (const send of requests) await send();
      const families = ['http_requests_total', 'http_request_duration_seconds_count'];
      const count = async (): Promise<number[]> => {
        const text = (await app.inject('/metrics')).body;
        return families.map((f) => seriesCount(text, f));
      };
      await count(); // the scrape's own series appears from the second scrape on
      const before = await count();
      for (let i = 0; i < 5000; i++) await (requests[i % requests.length] as () => Promise<unknown>)();
      const after = await count();
      expect(after).toEqual(before);
      // GET /items/:id 200, unmatched 404, PUT 405, DELETE 404/405, GET /metrics 200: a handful, whatever the URLs.
      expect(before[0]).toBeLessThanOrEqual(6);
    } finally {
      await handle.close();
    }
  });
});

// Keeps the file honest about its own cost: the live probe of the fault hooks needs an app.
it('serves the health probe used by the fault hooks', async () => {
  const { port } = await start();
  expect((await rawRequest(port, { target: '/health/live' })).status).toBe(200);
});

/**
 * RELIABILITY.md §D, long version — `npm run soak` (not part of `npm test`). The server runs in a
 * child process (test/reliability/fixtures/child-app.ts) so that its RSS is measured alone and the
 * load generator (autocannon, in this process) does not share its event loop. Figures are printed
 * and written to test-output/soak/*.json.
 */
import { freePort } from '../helpers/net';
import { killChildren, rssOf, spawnChild, type ChildApp } from '../reliability/helpers/child';
import { idleKeepAlive, randomPath, runLoad, seriesCount, silentConnections, slowClient, within } from '../reliability/helpers/load';
import { rawGet, type RawConnection } from '../reliability/helpers/raw-http';
import { record } from '../reliability/helpers/report';

jest.setTimeout(300_000);

const MB = 1024 * 1024;
const USER = JSON.stringify({ name: 'Grace Hopper', email: 'grace@example.com', age: 85 });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts the child app with the given `global_setting`, plus health and metrics services. */
async function startChild(settings: Record<string, unknown> = {}): Promise<{ child: ChildApp; port: number; url: string; pid: number }> {
  const port = await freePort();
  const config = {
    server: { global_setting: { log_level: 'warn', ...settings } },
    services: [{ name: 'health', type: 'lokstra.health_check' }, { name: 'metrics', type: 'lokstra.metrics', config: { default_metrics: false } }],
    apps: [{
      name: 'api', address: `127.0.0.1:${port}`,
      routes: [{ method: 'POST', path: '/users', handler: 'users.create' }, { method: 'GET', path: '/fast', handler: 'fast' }, { method: 'GET', path: '/items/:id', handler: 'fast' }],
    }],
  };
  const child = spawnChild(['-'], { env: { REL_CONFIG: JSON.stringify(config) } });
  const ready = await child.ready;
  return { child, port, url: `http://127.0.0.1:${port}`, pid: ready.pid };
}

async function stop(child: ChildApp): Promise<void> {
  child.proc.kill('SIGTERM');
  const exit = await within(child.exited, 15_000, 'still running' as const);
  if (exit === 'still running') child.kill();
  expect(exit).toMatchObject({ code: 0 });
}

afterAll(() => killChildren());

const summary: Record<string, unknown> = {};
afterAll(() => {
  // On-demand run: the figures are the point, print them.
  console.log(`soak figures\n${JSON.stringify(summary, null, 2)}`);
});

describe('D1 30 s at 100 connections on a validated POST', () => {
  it('answers every request 2xx with zero errors, and the server\'s RSS stays flat', async () => {
    const { child, url, pid } = await startChild();
    try {
      await runLoad({ url: `${url}/users`, method: 'POST', body: USER, connections: 100, durationS: 5 });
      await sleep(1000);
      const rssStart = await rssOf(pid);
      const samples: number[] = [];
      const sampler = setInterval(() => { rssOf(pid).then((r) => samples.push(r), () => undefined); }, 5000);
      const res = await runLoad({ url: `${url}/users`, method: 'POST', body: USER, connections: 100, durationS: 30 });
      clearInterval(sampler);
      const rssEnd = await rssOf(pid);
      await sleep(3000);
      const rssSettled = await rssOf(pid);
      summary.load = record('soak', 'load', {
        connections: 100, durationS: res.durationS, requests: res.requests, rps: Math.round(res.requests / res.durationS), errors: res.errors,
        timeouts: res.timeouts, non2xx: res.non2xx, latencyP99Ms: res.latencyP99, latencyMaxMs: res.latencyMax,
        rssStartMb: +(rssStart / MB).toFixed(1), rssEndMb: +(rssEnd / MB).toFixed(1), rssSettledMb: +(rssSettled / MB).toFixed(1),
        rssSamplesMb: samples.map((s) => +(s / MB).toFixed(1)),
      });
      expect(res.requests).toBeGreaterThan(10_000);
      expect(res).toMatchObject({ errors: 0, timeouts: 0, non2xx: 0 });
      expect(rssEnd - rssStart).toBeLessThan(50 * MB);
      expect(rssSettled - rssStart).toBeLessThan(50 * MB);
    } finally {
      await stop(child);
    }
  });
});

describe('D2 slowloris and slow-body clients under load', () => {
  it('are cut by headers_timeout (2s) and request_timeout (4s) while 20 connections of load are served', async () => {
    const { child, port, url } = await startChild({ headers_timeout: '2s', request_timeout: '4s' });
    try {
      const slow = await Promise.all([
        ...Array.from({ length: 50 }, () => slowClient(port, 'slowloris', 200)),
        ...Array.from({ length: 50 }, () => slowClient(port, 'slow-body', 200)),
        ...Array.from({ length: 50 }, () => slowClient(port, 'silent')),
      ]);
      const [load, cut] = await Promise.all([
        runLoad({ url: `${url}/users`, method: 'POST', body: USER, connections: 20, durationS: 10 }),
        Promise.all(slow.map((c) => within(c.closedAfter, 40_000, Infinity))),
      ]);
      for (const c of slow) c.conn.destroy();
      const byKind = (kind: string): number[] => cut.filter((_, i) => slow[i]?.kind === kind);
      summary.slowClients = record('soak', 'slow-clients', {
        load: { requests: load.requests, errors: load.errors, non2xx: load.non2xx },
        cutAfterMs: Object.fromEntries(['slowloris', 'slow-body', 'silent'].map((k) => [k, { min: Math.min(...byKind(k)), max: Math.max(...byKind(k)) }])),
      });
      expect(load).toMatchObject({ errors: 0, timeouts: 0, non2xx: 0 });
      expect(Math.max(...byKind('slowloris'))).toBeLessThanOrEqual(2000 + 1500);
      expect(Math.max(...byKind('silent'))).toBeLessThanOrEqual(2000 + 1500);
      expect(Math.max(...byKind('slow-body'))).toBeLessThanOrEqual(4000 + 1500);
    } finally {
      await stop(child);
    }
  });
});

describe('D3 thousands of idle keep-alive sockets', () => {
  it('2,000 idle keep-alive and 500 silent connections do not stop new requests', async () => {
    const { child, port, url } = await startChild({ keep_alive_timeout: '60s', headers_timeout: '60s', request_timeout: '60s' });
    let idle: RawConnection[] = [];
    try {
      idle = [...await idleKeepAlive(port, 2000), ...await silentConnections(port, 500)];
      const started = Date.now();
      const fresh = await Promise.all(Array.from({ length: 100 }, () => rawGet(port, '/fast')));
      const freshMs = Date.now() - started;
      const load = await runLoad({ url: `${url}/users`, method: 'POST', body: USER, connections: 20, durationS: 5 });
      summary.idleSockets = record('soak', 'idle-sockets', { idleKeepAlive: 2000, silent: 500, fresh100Ms: freshMs, load: { requests: load.requests, errors: load.errors, non2xx: load.non2xx, p99Ms: load.latencyP99 } });
      expect(fresh.every((r) => r.status === 200)).toBe(true);
      expect(freshMs).toBeLessThan(3000);
      expect(load).toMatchObject({ errors: 0, timeouts: 0, non2xx: 0 });
      expect(load.latencyP99).toBeLessThan(500);
    } finally {
      for (const c of idle) c.destroy();
      await stop(child);
    }
  });
});

describe('D4 100,000 distinct random paths', () => {
  it('do not grow the HTTP metrics series count', async () => {
    const { child, url } = await startChild();
    try {
      const scrape = async (): Promise<number> => seriesCount((await rawGet(Number(new URL(url).port), '/metrics')).text, 'http_requests_total');
      await runLoad({ url, connections: 10, durationS: 1, amount: 200, path: () => (Math.random() < 0.5 ? `/items/${Math.random().toString(36).slice(2)}` : randomPath()) });
      await scrape();
      const before = await scrape();
      const res = await runLoad({ url, connections: 50, durationS: 60, amount: 100_000, path: () => (Math.random() < 0.5 ? `/items/${Math.random().toString(36).slice(2)}` : randomPath()) });
      const after = await scrape();
      summary.randomPaths = record('soak', 'random-paths', { requests: res.requests, errors: res.errors, seriesBefore: before, seriesAfter: after });
      expect(res.requests).toBeGreaterThanOrEqual(100_000);
      expect(res.errors).toBe(0);
      expect(after).toBe(before);
    } finally {
      await stop(child);
    }
  });
});

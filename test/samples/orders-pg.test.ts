import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { Lokstra, type LokstraHandle } from '../../src/index';
import { OrdersModule } from '../../samples/orders-pg/module';
import { freePort, get } from '../helpers/net';
import { quietLogger } from '../services/helpers/quiet';
import { describeWith, PG_URL, REDIS_URL, uniqueName } from '../services/helpers/servers';
import { TcpProxy } from '../services/helpers/tcp-proxy';

const ROOT = join(__dirname, '..', '..');
const CONFIG = join(ROOT, 'samples', 'orders-pg', 'lokstra.yaml');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describeWith(['PostgreSQL', 'Redis'], 'sample: orders-pg (samples/orders-pg/lokstra.yaml)', () => {
  const schema = uniqueName('orders');
  const prefix = `${uniqueName('orders')}:`;
  const saved = { ...process.env };
  let proxy: TcpProxy;
  let h: LokstraHandle;
  const api = () => h.apps[0]!;

  beforeAll(async () => {
    proxy = await TcpProxy.start(REDIS_URL, 6379);
    Object.assign(process.env, { DATABASE_URL: PG_URL, REDIS_URL: proxy.url(REDIS_URL), ORDERS_SCHEMA: schema, ORDERS_CACHE_PREFIX: prefix, LOG_LEVEL: 'error', PORT: '0' });
    h = await Lokstra.build(CONFIG, { modules: [OrdersModule], logger: quietLogger() });
  });

  afterAll(async () => {
    await h?.close();
    process.env = saved;
    await proxy?.close();
    const pg = new Client({ connectionString: PG_URL });
    await pg.connect();
    await pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pg.end();
    const redis = new Redis(REDIS_URL);
    const left = await redis.keys(`${prefix}*`);
    if (left.length) await redis.del(...left);
    await redis.quit();
  });

  it('creates its schema at start and stores orders in PostgreSQL, reading them through the Redis cache', async () => {
    const created = await api().inject({ method: 'POST', url: '/orders', payload: { customer: 'Ada', reference: 'ref-1', items: [{ sku: 'book', qty: 2, priceCents: 1250 }] } });
    expect(created.statusCode).toBe(201);
    const order = created.json().data;
    expect(order).toMatchObject({ customer: 'Ada', totalCents: 2500, status: 'new', reference: 'ref-1' });
    const first = await api().inject(`/orders/${order.id}`);
    expect([first.statusCode, first.headers['x-cache']]).toEqual([200, 'miss']);
    const second = await api().inject(`/orders/${order.id}`);
    expect([second.headers['x-cache'], second.json().data]).toEqual(['hit', first.json().data]);
    const paid = await api().inject({ method: 'PATCH', url: `/orders/${order.id}/status`, payload: { status: 'paid' } });
    expect(paid.json().data.status).toBe('paid');
    const after = await api().inject(`/orders/${order.id}`);
    expect([after.headers['x-cache'], after.json().data.status]).toEqual(['miss', 'paid']);
    expect((await api().inject('/orders?status=paid')).json().data.map((o: { id: number }) => o.id)).toEqual([order.id]);
  });

  it('maps database errors: a duplicate reference is 409, a missing order 404, a bad body 400', async () => {
    const body = { customer: 'Bob', reference: 'dup', items: [{ sku: 'pen', qty: 1, priceCents: 100 }] };
    expect((await api().inject({ method: 'POST', url: '/orders', payload: body })).statusCode).toBe(201);
    const dup = await api().inject({ method: 'POST', url: '/orders', payload: body });
    expect([dup.statusCode, dup.json().code]).toEqual([409, 'CONFLICT']);
    expect((await api().inject('/orders/999999')).statusCode).toBe(404);
    expect((await api().inject({ method: 'POST', url: '/orders', payload: { customer: 'x', items: [] } })).statusCode).toBe(400);
  });

  it('exposes HTTP metrics by route template and its own counters at /metrics', async () => {
    await api().inject('/orders/1');
    await api().inject('/no/such/path');
    const text = (await api().inject('/metrics')).body;
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/orders\/:id",status="\d{3}"\} \d+/);
    expect(text).toMatch(/http_requests_total\{method="GET",route="unmatched",status="404"\} 1/);
    expect(text).toMatch(/orders_created_total\{status="new"\} [1-9]/);
    expect(text).toMatch(/orders_cache_total\{result="hit"\} [1-9]/);
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('flips /health/ready to 503 while Redis is down (reads degrade to PostgreSQL) and back to 200 when it returns', async () => {
    const ready = await api().inject('/health/ready');
    expect(ready.statusCode).toBe(200);
    expect(Object.keys(ready.json().data.checks).sort()).toEqual(['db.main', 'disk', 'memory', 'redis.main']);
    const { id } = (await api().inject({ method: 'POST', url: '/orders', payload: { customer: 'Cy', items: [{ sku: 'x', qty: 1, priceCents: 1 }] } })).json().data;
    await proxy.setMode('refuse');
    let status = 0;
    for (let i = 0; i < 100 && status !== 503; i++, await sleep(30)) status = (await api().inject('/health/ready')).statusCode;
    expect(status).toBe(503);
    const degraded = await api().inject(`/orders/${id}`);
    expect([degraded.statusCode, degraded.headers['x-cache']]).toEqual([200, 'miss']);
    await proxy.setMode('pass');
    for (let i = 0; i < 200 && status !== 200; i++, await sleep(30)) status = (await api().inject('/health/ready')).statusCode;
    expect(status).toBe(200);
    expect((await api().inject('/health')).json().data.checks['redis.main'].status).toBe('healthy');
  });
});

describeWith(['PostgreSQL', 'Redis'], 'sample: npm run sample:orders', () => {
  it('serves /metrics and /health/ready on PORT and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const schema = uniqueName('orders');
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'samples/orders-pg/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), DATABASE_URL: PG_URL, REDIS_URL, ORDERS_SCHEMA: schema, ORDERS_CACHE_PREFIX: `${schema}:`, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      let status = 0;
      // Generous: ts-node compiles the sample on start, and CI runs test files in parallel.
      const deadline = Date.now() + 45_000;
      while (status !== 200 && Date.now() < deadline && child.exitCode === null) {
        status = await get(`http://127.0.0.1:${port}/health/ready`).then((r) => r.status, () => 0);
        if (status !== 200) await sleep(200);
      }
      expect({ status, output }).toEqual({ status: 200, output: expect.any(String) });
      await get(`http://127.0.0.1:${port}/orders/1`);
      const metrics = await get(`http://127.0.0.1:${port}/metrics`);
      expect(metrics.body).toMatch(/http_requests_total\{method="GET",route="\/orders\/:id",status="404"\} 1/);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      const pg = new Client({ connectionString: PG_URL });
      await pg.connect();
      await pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pg.end();
    }
  }, 90_000);
});

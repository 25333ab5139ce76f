import 'reflect-metadata';
import { Redis } from 'ioredis';
import { Context, defineModule, Lokstra, LokstraError, type KvStore, type LokstraHandle, type RedisService } from '../../src/index';
import { freePort } from '../helpers/net';
import { quietLogger } from './helpers/quiet';
import { describeWith, REDIS_URL, timed, uniqueName } from './helpers/servers';
import { TcpProxy } from './helpers/tcp-proxy';

const cacheModule = defineModule({
  name: 'cache-routes',
  handlers: {
    'cache.get': async (ctx: Context) => ctx.ok({ value: (await ctx.container.get<KvStore>('cache').get(ctx.params.key as string)) ?? null }),
  },
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(what: string, probe: () => Promise<boolean>, ms = 5000): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < ms) {
    if (await probe().catch(() => false)) return performance.now() - start;
    await sleep(25);
  }
  throw new Error(`${what}: not within ${ms} ms`);
}

describeWith(['Redis'], 'lokstra.redis on a real Redis', () => {
  const handles: LokstraHandle[] = [];
  const admin = new Redis(REDIS_URL, { lazyConnect: true });
  const prefix = `${uniqueName('redis')}:`;

  async function boot(redisConfig: Record<string, unknown>): Promise<{ h: LokstraHandle; redis: RedisService; kv: KvStore }> {
    const h = await Lokstra.build({
      services: [
        { name: 'log', type: 'lokstra.logger', config: { level: 'error' } },
        { name: 'redis.main', type: 'lokstra.redis', config: { logger: 'log', ...redisConfig }, depends_on: ['log'] },
        { name: 'cache', type: 'lokstra.kvstore_redis', config: { redis: 'redis.main', prefix }, depends_on: ['redis.main'] },
        { name: 'health', type: 'lokstra.health_check', config: { timeout: '1s' } },
      ],
      apps: [{ name: 'api', address: ':0', routes: [{ method: 'GET', path: '/cache/:key', handler: 'cache.get' }] }],
    }, { modules: [cacheModule], logger: quietLogger() });
    handles.push(h);
    return { h, redis: h.getService<RedisService>('redis.main'), kv: h.getService<KvStore>('cache') };
  }

  beforeAll(() => admin.connect());
  afterEach(async () => {
    await Promise.all(handles.splice(0).map((h) => h.close()));
  });
  afterAll(async () => {
    const left = await admin.keys(`${prefix}*`);
    if (left.length) await admin.del(...left);
    await admin.quit();
  });

  it('connects by url or by fields and exposes the raw client', async () => {
    const u = new URL(REDIS_URL);
    const { redis, kv } = await boot({ host: u.hostname, port: Number(u.port || 6379), db: 0 });
    await redis.ping();
    await redis.client.set(`${prefix}raw`, 'v');
    expect(await redis.client.get(`${prefix}raw`)).toBe('v');
    await kv.set('x', { n: 1 }, 100);
    expect(await kv.get('x')).toEqual({ n: 1 });
    await sleep(180);
    expect(await kv.get('x')).toBeUndefined();
  });

  it('boots with Redis unreachable, fails KV calls within 2 s, answers 503 through HTTP, and /health/ready 503', async () => {
    const port = await freePort();
    const { h, kv } = await boot({ url: `redis://127.0.0.1:${port}` });
    const call = await timed(() => kv.get('k'));
    expect(call.error).toBeDefined();
    expect(call.ms).toBeLessThan(2000);
    const http = await timed(() => h.apps[0]!.inject('/cache/k'));
    expect(http.value!.statusCode).toBe(503);
    expect(http.value!.headers['retry-after']).toBe('1');
    expect(http.value!.body).not.toContain(String(port));
    const ready = await timed(() => h.apps[0]!.inject('/health/ready'));
    expect(ready.value!.statusCode).toBe(503);
    expect(ready.value!.json().data).toMatchObject({ status: 'not_ready', reason: 'unhealthy', checks: { 'redis.main': { status: 'unhealthy', critical: true } } });
    expect(ready.ms).toBeLessThan(1500);
    console.info(`[fault timing] redis unreachable: KV get failed after ${call.ms.toFixed(0)} ms, HTTP 503 after ${http.ms.toFixed(0)} ms, /health/ready 503 after ${ready.ms.toFixed(0)} ms`);
  });

  it('recovers after its connection is killed (CLIENT KILL)', async () => {
    const { h, redis, kv } = await boot({ url: REDIS_URL });
    await kv.set('k', 'before');
    const id = await redis.client.client('ID');
    await admin.client('KILL', 'ID', String(id));
    const recovered = await until('KV works again', async () => (await kv.get('k')) === 'before');
    expect(await redis.client.client('ID')).not.toBe(id);
    expect((await h.apps[0]!.inject('/health/ready')).statusCode).toBe(200);
    console.info(`[fault timing] redis CLIENT KILL → KV answering again after ${recovered.toFixed(0)} ms`);
  });

  it('flips /health/ready to 503 while Redis is down and back to 200 when it returns', async () => {
    const proxy = await TcpProxy.start(REDIS_URL, 6379);
    try {
      const { h, kv } = await boot({ url: proxy.url(REDIS_URL) });
      await kv.set('k', 1);
      expect((await h.apps[0]!.inject('/health/ready')).statusCode).toBe(200);
      await proxy.setMode('refuse');
      const down = await until('ready 503', async () => (await h.apps[0]!.inject('/health/ready')).statusCode === 503);
      const failing = await timed(() => kv.get('k'));
      expect(failing.error).toBeDefined();
      expect(failing.ms).toBeLessThan(2000);
      await proxy.setMode('pass');
      const up = await until('ready 200', async () => (await h.apps[0]!.inject('/health/ready')).statusCode === 200);
      expect(await kv.get('k')).toBe(1);
      console.info(`[fault timing] redis down → /health/ready 503 after ${down.toFixed(0)} ms, KV failed after ${failing.ms.toFixed(0)} ms; back → ready 200 after ${up.toFixed(0)} ms`);
    } finally {
      await proxy.close();
    }
  });

  it('fails a blackholed Redis within command_timeout', async () => {
    const proxy = await TcpProxy.start(REDIS_URL, 6379);
    try {
      const { kv } = await boot({ url: proxy.url(REDIS_URL), command_timeout: '300ms' });
      await kv.set('k', 1);
      await proxy.setMode('blackhole');
      const call = await timed(() => kv.get('k'));
      expect(call.error).toBeDefined();
      expect(call.ms).toBeLessThan(300 + 500);
      console.info(`[fault timing] redis blackholed → KV get failed after ${call.ms.toFixed(0)} ms (command_timeout 300 ms)`);
    } finally {
      await proxy.close();
    }
  });

  it('quits Redis at shutdown (and just disconnects when it is unreachable)', async () => {
    const { h, redis } = await boot({ url: REDIS_URL });
    await redis.ping();
    await h.close();
    expect(redis.client.status).toBe('end');
    const down = await boot({ url: `redis://127.0.0.1:${await freePort()}` });
    await sleep(300);
    const { ms } = await timed(() => down.h.close());
    expect(ms).toBeLessThan(500);
    let attempts = 0;
    down.redis.client.on('connect', () => attempts++).on('reconnecting', () => attempts++);
    await sleep(500);
    expect(attempts).toBe(0);
  });

  it('rejects a url together with fields, and a non-redis url', async () => {
    for (const [config, key] of [[{ url: REDIS_URL, port: 1 }, 'port'], [{ url: 'http://x' }, 'url']] as const) {
      const err = await Lokstra.build({ services: [{ name: 'r', type: 'lokstra.redis', config }], apps: [] }).catch((e: unknown) => e);
      expect(LokstraError.is(err) && err.code).toBe('LKS_ERR_CONFIG_INVALID');
      expect((err as Error).message).toContain(`services.r.config.${key}`);
    }
  });
});

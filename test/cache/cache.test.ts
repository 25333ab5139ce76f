import 'reflect-metadata';
import { Context, defineModule, Lokstra, cache, type KvStore, type LokstraHandle } from '../../src/index';
import { SECRET, sign } from '../auth/harness';
import { quietLogger } from '../services/helpers/quiet';
import { describeWith, REDIS_URL, uniqueName } from '../services/helpers/servers';

let calls = 0;
const mod = defineModule({
  name: 'c',
  handlers: {
    'c.items': async (ctx: Context) => {
      calls++;
      await new Promise((r) => setTimeout(r, 30));
      return ctx.ok({ n: calls, lang: ctx.headers['accept-language'] ?? null, q: ctx.query.q ?? null });
    },
    'c.cookie': (ctx: Context) => {
      calls++;
      ctx.reply.header('set-cookie', 'seen=1; Path=/');
      return ctx.ok({ n: calls });
    },
    'c.me': (ctx: Context) => {
      calls++;
      return ctx.ok({ n: calls, sub: ctx.auth?.subject ?? null });
    },
    'c.fail': (ctx: Context) => {
      calls++;
      return ctx.json({ n: calls }, 500);
    },
    'c.write': async (ctx: Context) => {
      let kv: KvStore | undefined;
      try {
        kv = ctx.container.get<KvStore>('kv');
      } catch {
        kv = undefined; // store: memory
      }
      await cache.invalidate('items', kv);
      return ctx.ok(true);
    },
  },
});

function deployment(store: string, extra: Record<string, unknown> = {}, services: unknown[] = []): never {
  const c = { name: 'cache', config: { ttl: '30s', store, tags: ['items'], ...extra } };
  const jwt = { name: 'jwt', config: { secret: SECRET, algorithms: ['HS256'], optional: true } };
  return {
    server: { global_setting: { log_level: 'error' } },
    services,
    apps: [{
      name: 'api', address: ':0',
      routes: [
        { method: 'GET', path: '/items', handler: 'c.items', middleware: [{ ...c, config: { ...c.config, vary: ['accept-language'] } }] },
        { method: 'GET', path: '/cookie', handler: 'c.cookie', middleware: [c] },
        { method: 'GET', path: '/me', handler: 'c.me', middleware: [jwt, c] },
        { method: 'GET', path: '/mine', handler: 'c.me', middleware: [jwt, { ...c, config: { ...c.config, private: true } }] },
        { method: 'GET', path: '/fail', handler: 'c.fail', middleware: [c] },
        { method: 'POST', path: '/items', handler: 'c.write' },
      ],
    }],
  } as never;
}

function cacheSuite(name: string, store: () => string, services: () => unknown[]): void {
  let h: LokstraHandle;
  const get = (url: string, headers: Record<string, string> = {}) => h.apps[0]!.inject({ method: 'GET', url, headers });
  beforeEach(async () => {
    calls = 0;
    h = await Lokstra.build(deployment(store(), {}, services()), { modules: [mod], logger: quietLogger() });
    await h.apps[0]!.inject({ method: 'POST', url: '/items' });
  });
  afterEach(() => h.close());

  it(`${name}: serves a GET from the cache with ETag, Cache-Control and Age; HEAD too`, async () => {
    const first = await get('/items?q=a');
    expect(first.statusCode).toBe(200);
    expect(first.headers['x-cache']).toBe('MISS');
    expect(first.headers['cache-control']).toBe('public, max-age=30');
    expect(first.headers.etag).toMatch(/^"[\w-]{27}"$/);
    const second = await get('/items?q=a');
    expect(second.headers['x-cache']).toBe('HIT');
    expect(second.body).toBe(first.body);
    expect(second.headers['content-type']).toBe(first.headers['content-type']);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.headers.age).toBeDefined();
    expect(calls).toBe(1);
    expect((await get('/items?q=b')).json()).toMatchObject({ data: { n: 2, q: 'b' } });
    const head = await h.apps[0]!.inject({ method: 'HEAD', url: '/items?q=a' });
    expect([head.statusCode, head.headers['x-cache'], head.body]).toEqual([200, 'HIT', '']);
    expect(calls).toBe(2);
  });

  it(`${name}: answers 304 to If-None-Match, on a miss and on a hit`, async () => {
    const first = await get('/items');
    const etag = first.headers.etag as string;
    const hit = await get('/items', { 'if-none-match': etag });
    expect([hit.statusCode, hit.body, hit.headers.etag]).toEqual([304, '', etag]);
    await h.apps[0]!.inject({ method: 'POST', url: '/items' });
    const miss = await get('/items', { 'if-none-match': '"stale"' });
    expect(miss.statusCode).toBe(200);
    const again = await get('/items', { 'if-none-match': `W/${miss.headers.etag as string}` });
    expect(again.statusCode).toBe(304);
  });

  it(`${name}: keys variants by the vary headers only (an unkeyed X-Forwarded-Host does not split or poison)`, async () => {
    const en = await get('/items', { 'accept-language': 'en' });
    const fr = await get('/items', { 'accept-language': 'fr' });
    expect(en.headers.vary).toBe('accept-language');
    expect([en.json().data.lang, fr.json().data.lang]).toEqual(['en', 'fr']);
    const evil = await get('/items', { 'accept-language': 'en', 'x-forwarded-host': 'evil.example' });
    expect(evil.headers['x-cache']).toBe('HIT');
    expect(evil.body).toBe(en.body);
    expect(evil.body).not.toContain('evil');
    expect(calls).toBe(2);
  });

  it(`${name}: calls upstream once for 100 concurrent misses (single flight)`, async () => {
    const all = await Promise.all(Array.from({ length: 100 }, () => get('/items?q=stampede')));
    expect(all.every((r) => r.statusCode === 200 && r.body === all[0]!.body)).toBe(true);
    expect(calls).toBe(1);
  });

  it(`${name}: drops tagged responses on cache.invalidate(tag)`, async () => {
    await get('/items');
    expect((await get('/items')).headers['x-cache']).toBe('HIT');
    await h.apps[0]!.inject({ method: 'POST', url: '/items' });
    const after = await get('/items');
    expect(after.headers['x-cache']).toBe('MISS');
    expect(after.json()).toMatchObject({ data: { n: 2 } });
  });

  it(`${name}: never caches Set-Cookie, non-200 answers, or authenticated requests (unless private)`, async () => {
    await get('/cookie');
    const c2 = await get('/cookie');
    expect([c2.headers['x-cache'], c2.json().data.n]).toEqual([undefined, 2]);
    await get('/fail');
    expect((await get('/fail')).json()).toEqual({ n: 4 });
    const token = `Bearer ${await sign({ sub: 'alice' })}`;
    await get('/me', { authorization: token });
    const me2 = await get('/me', { authorization: token });
    expect([me2.headers['x-cache'], me2.json().data]).toEqual([undefined, { n: 6, sub: 'alice' }]);
    expect((await get('/me', { cookie: 'sid=x' })).headers['x-cache']).toBeUndefined();
    // An anonymous response is not served to an authenticated caller either.
    await get('/me');
    expect((await get('/me')).headers['x-cache']).toBe('HIT');
    expect((await get('/me', { authorization: token })).json().data.sub).toBe('alice');
  });

  it(`${name}: private: true caches per caller with Cache-Control: private`, async () => {
    const alice = `Bearer ${await sign({ sub: 'alice' })}`;
    const bob = `Bearer ${await sign({ sub: 'bob' })}`;
    const a1 = await get('/mine', { authorization: alice });
    expect(a1.headers['cache-control']).toBe('private, max-age=30');
    const a2 = await get('/mine', { authorization: alice });
    const b1 = await get('/mine', { authorization: bob });
    expect([a2.headers['x-cache'], a2.json().data.sub]).toEqual(['HIT', 'alice']);
    expect([b1.headers['x-cache'], b1.json().data.sub]).toEqual(['MISS', 'bob']);
  });
}

describe('cache middleware on the memory store', () => {
  cacheSuite('memory', () => 'memory', () => []);
});

describeWith(['Redis'], 'cache middleware on Redis (lokstra.kvstore_redis)', () => {
  const prefix = `${uniqueName('cache')}:`;
  cacheSuite('redis', () => 'kv', () => [
    { name: 'redis', type: 'lokstra.redis', config: { url: REDIS_URL } },
    { name: 'kv', type: 'lokstra.kvstore_redis', depends_on: ['redis'], config: { redis: 'redis', prefix } },
  ]);
});

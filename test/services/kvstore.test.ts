import 'reflect-metadata';
import { Redis } from 'ioredis';
import { Lokstra, LokstraError, MemoryKvStore, RedisKvStore, type KvStore, type LokstraHandle } from '../../src/index';
import { kvStoreContract } from './helpers/kv-contract';
import { describeWith, REDIS_URL, uniqueName } from './helpers/servers';

describe('lokstra.kvstore_mem', () => {
  describe('KvStore contract', () => {
    kvStoreContract(async (o) => {
      const h = await Lokstra.build({ services: [{ name: 'kv', type: 'lokstra.kvstore_mem', config: o?.defaultTtl ? { default_ttl: o.defaultTtl } : {} }], apps: [] });
      return { store: h.getService<KvStore>('kv'), cleanup: () => h.close() };
    });
  });

  it('evicts the least recently used key past max_entries (a read counts as a use)', async () => {
    const h = await Lokstra.build({ services: [{ name: 'kv', type: 'kvstore_mem', config: { max_entries: 3 } }], apps: [] });
    const kv = h.getService<MemoryKvStore>('kv');
    expect(kv).toBeInstanceOf(MemoryKvStore);
    await kv.set('a', 1);
    await kv.set('b', 2);
    await kv.set('c', 3);
    await kv.get('a');
    await kv.set('d', 4);
    expect((await kv.keys()).sort()).toEqual(['a', 'c', 'd']);
    expect(kv.size).toBe(3);
    await h.close();
    expect(kv.size).toBe(0);
  });

  it('expires by its clock without timers', async () => {
    let now = 1_000;
    const kv = new MemoryKvStore({ now: () => now });
    await kv.set('k', 'v', '5s');
    now += 4_999;
    expect(await kv.get('k')).toBe('v');
    now += 1;
    expect(await kv.get('k')).toBeUndefined();
    expect(kv.size).toBe(0);
  });

  it('rejects an invalid max_entries naming the key path', async () => {
    const err = await Lokstra.build({ services: [{ name: 'kv', type: 'lokstra.kvstore_mem', config: { max_entries: 0 } }], apps: [] }).catch((e: unknown) => e);
    expect(LokstraError.is(err) && err.code).toBe('LKS_ERR_CONFIG_INVALID');
    expect((err as Error).message).toContain('services.kv.config.max_entries');
  });
});

describeWith(['Redis'], 'lokstra.kvstore_redis on a real Redis', () => {
  const handles: LokstraHandle[] = [];
  const admin = new Redis(REDIS_URL, { lazyConnect: true });

  async function boot(config: Record<string, unknown> = {}): Promise<{ h: LokstraHandle; kv: RedisKvStore; prefix: string }> {
    const prefix = `${uniqueName('kv')}:`;
    const h = await Lokstra.build({
      services: [
        { name: 'cache', type: 'lokstra.kvstore_redis', config: { redis: 'redis.main', prefix, ...config }, depends_on: ['redis.main'] },
        { name: 'redis.main', type: 'lokstra.redis', config: { url: REDIS_URL } },
      ],
      apps: [],
    });
    handles.push(h);
    return { h, kv: h.getService<RedisKvStore>('cache'), prefix };
  }

  beforeAll(() => admin.connect());
  afterAll(() => admin.quit());

  describe('KvStore contract', () => {
    kvStoreContract(async (o) => {
      const { h, kv, prefix } = await boot(o?.defaultTtl ? { default_ttl: o.defaultTtl } : {});
      return {
        store: kv,
        cleanup: async () => {
          const left = await kv.keys();
          if (left.length) await admin.del(...left.map((k) => prefix + k));
          await h.close();
        },
      };
    });
  });

  afterEach(async () => {
    await Promise.all(handles.splice(0).map((h) => h.close()));
  });

  it('stores JSON text under the prefix with a PX ttl', async () => {
    const { kv, prefix } = await boot();
    await kv.set('order:1', { id: 1 }, '30s');
    expect(await admin.get(`${prefix}order:1`)).toBe('{"id":1}');
    const ttl = await admin.pttl(`${prefix}order:1`);
    expect(ttl).toBeGreaterThan(29_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
    await kv.delete('order:1');
  });

  it('lists keys with SCAN (never KEYS), across many batches, only under its own prefix', async () => {
    const { kv, prefix } = await boot();
    const other = await boot();
    const client = (kv as unknown as { client: Redis }).client;
    const scan = jest.spyOn(client, 'scan');
    const keys = jest.spyOn(client, 'keys');
    const many = Array.from({ length: 600 }, (_, i) => `k${i}`);
    await admin.mset(...many.flatMap((k) => [prefix + k, '1']));
    await other.kv.set('k1', 'theirs');
    try {
      const found = await kv.keys('k*');
      expect(found).toHaveLength(600);
      expect(new Set(found)).toEqual(new Set(many));
      expect(scan.mock.calls.length).toBeGreaterThan(1);
      expect(keys).not.toHaveBeenCalled();
      expect(await other.kv.keys()).toEqual(['k1']);
    } finally {
      await admin.del(...many.map((k) => prefix + k));
      await other.kv.delete('k1');
    }
  });

  it('escapes glob characters of the prefix', async () => {
    const star = `${uniqueName('kv')}*[x]:`;
    const kv = new RedisKvStore(admin, { prefix: star });
    // Would match the prefix if it were used as a pattern unescaped (`*` → `ZZ`, `[x]` → `x`).
    const lookalike = star.replace('*[x]', 'ZZx');
    await kv.set('a', 1);
    await admin.set(`${lookalike}a`, '1');
    try {
      expect(await kv.keys()).toEqual(['a']);
    } finally {
      await kv.delete('a');
      await admin.del(`${lookalike}a`);
    }
  });

  it('fails boot when the redis service is not created first, naming depends_on', async () => {
    const err = await Lokstra.build({
      services: [
        { name: 'cache', type: 'lokstra.kvstore_redis', config: { redis: 'redis.main' } },
        { name: 'redis.main', type: 'lokstra.redis', config: { url: REDIS_URL } },
      ],
      apps: [],
    }).catch((e: unknown) => e);
    expect(LokstraError.is(err) && err.code).toBe('LKS_ERR_CONFIG_INVALID');
    expect((err as Error).message).toMatch(/services\.cache\.config\.redis.*depends_on/);
  });
});

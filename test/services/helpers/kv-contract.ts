import type { KvStore } from '../../../src/index';

/** Makes a fresh, empty store (with `default_ttl` when given) and cleans it up after the test. */
export type StoreMaker = (options?: { defaultTtl?: string }) => Promise<{ store: KvStore; cleanup?: () => Promise<void> }>;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The behaviour every {@link KvStore} shares; run against kvstore_mem and kvstore_redis. */
export function kvStoreContract(make: StoreMaker): void {
  let cleanups: (() => Promise<void>)[] = [];
  const fresh = async (options?: { defaultTtl?: string }): Promise<KvStore> => {
    const { store, cleanup } = await make(options);
    if (cleanup) cleanups.push(cleanup);
    return store;
  };
  afterEach(async () => {
    await Promise.all(cleanups.map((c) => c()));
    cleanups = [];
  });

  it('returns undefined for a missing key', async () => {
    const kv = await fresh();
    expect(await kv.get('missing')).toBeUndefined();
    expect(await kv.has('missing')).toBe(false);
  });

  it('stores JSON values of every kind, null included, as copies', async () => {
    const kv = await fresh();
    const values: Record<string, unknown> = { obj: { a: 1, nested: { b: [1, 'x'] } }, arr: [1, 2], num: 1.5, str: 'héllo', yes: true, nul: null, zero: 0 };
    for (const [k, v] of Object.entries(values)) await kv.set(k, v);
    for (const [k, v] of Object.entries(values)) expect(await kv.get(k)).toEqual(v);
    const obj = { n: 1 };
    await kv.set('copy', obj);
    obj.n = 2;
    expect(await kv.get<{ n: number }>('copy')).toEqual({ n: 1 });
    expect(await kv.get('nul')).toBeNull();
    expect(await kv.has('nul')).toBe(true);
    await kv.set('date', new Date(0));
    expect(await kv.get('date')).toBe('1970-01-01T00:00:00.000Z');
  });

  it('overwrites a value, and an overwrite without ttl drops the old ttl', async () => {
    const kv = await fresh();
    await kv.set('k', 1, 80);
    await kv.set('k', 2);
    await sleep(150);
    expect(await kv.get('k')).toBe(2);
  });

  it('expires keys after a ttl given in ms or as a duration string', async () => {
    const kv = await fresh();
    await kv.set('ms', 'a', 80);
    await kv.set('str', 'b', '80ms');
    await kv.set('long', 'c', '1m');
    await kv.set('forever', 'd', 0);
    expect(await kv.get('ms')).toBe('a');
    expect(await kv.has('str')).toBe(true);
    await sleep(200);
    expect(await kv.get('ms')).toBeUndefined();
    expect(await kv.has('str')).toBe(false);
    expect(await kv.get('long')).toBe('c');
    expect(await kv.get('forever')).toBe('d');
    expect((await kv.keys()).sort()).toEqual(['forever', 'long']);
  });

  it('applies default_ttl when set() gives none', async () => {
    const kv = await fresh({ defaultTtl: '80ms' });
    await kv.set('short', 1);
    await kv.set('kept', 1, '1m');
    await sleep(200);
    expect(await kv.has('short')).toBe(false);
    expect(await kv.has('kept')).toBe(true);
  });

  it('deletes several keys and says how many existed', async () => {
    const kv = await fresh();
    await kv.set('a', 1);
    await kv.set('b', 2);
    expect(await kv.delete('a', 'b', 'c')).toBe(2);
    expect(await kv.delete()).toBe(0);
    expect(await kv.has('a')).toBe(false);
  });

  it('lists keys by Redis-style glob', async () => {
    const kv = await fresh();
    for (const k of ['user:1', 'user:2', 'user:10', 'order:1', 'star*key', 'u1']) await kv.set(k, true);
    expect((await kv.keys()).sort()).toEqual(['order:1', 'star*key', 'u1', 'user:1', 'user:10', 'user:2']);
    expect((await kv.keys('user:*')).sort()).toEqual(['user:1', 'user:10', 'user:2']);
    expect((await kv.keys('user:?')).sort()).toEqual(['user:1', 'user:2']);
    expect((await kv.keys('[ou]*:1')).sort()).toEqual(['order:1', 'user:1']);
    expect((await kv.keys('[^o]*:1')).sort()).toEqual(['user:1']);
    expect(await kv.keys('star\\*key')).toEqual(['star*key']);
    expect(await kv.keys('nothing*')).toEqual([]);
  });

  it('rejects values JSON cannot hold, invalid ttls and empty keys', async () => {
    const kv = await fresh();
    await expect(kv.set('u', undefined)).rejects.toThrow(TypeError);
    await expect(kv.set('f', () => 1)).rejects.toThrow(TypeError);
    await expect(kv.set('t', 1, 'soon')).rejects.toThrow(/invalid ttl/);
    await expect(kv.set('t', 1, -5)).rejects.toThrow(/invalid ttl/);
    await expect(kv.get('')).rejects.toThrow(TypeError);
    expect(await kv.has('t')).toBe(false);
  });
}

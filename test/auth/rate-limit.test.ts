import type { LokstraHandle } from '../../src/index';
import { addressBucket } from '../../src/auth/client-key';
import { expectBootError } from '../http/routing/harness';
import { build, captureLogger, SECRET, sign } from './harness';

function config(middleware: unknown[], trustProxy?: unknown): never {
  return {
    server: { global_setting: { log_level: 'error', ...(trustProxy === undefined ? {} : { trust_proxy: trustProxy }) } },
    apps: [{ name: 'api', address: ':0', routes: [{ method: 'GET', path: '/r', handler: 'ok', middleware }] }],
  } as never;
}

describe('addressBucket', () => {
  it('groups IPv6 by /64, keeps IPv4, unmaps IPv4-mapped IPv6', () => {
    expect(addressBucket('203.0.113.7')).toBe('203.0.113.7');
    expect(addressBucket('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:0db8:0001:0002:ffff:eeee:dddd:cccc')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressBucket('::1')).toBe('0:0:0:0::/64');
    expect(addressBucket('::ffff:198.51.100.4')).toBe('198.51.100.4');
    expect(addressBucket('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});

describe('rate_limit (memory store)', () => {
  let h: LokstraHandle;
  let offset = 0;
  const realNow = Date.now.bind(Date);
  beforeAll(async () => {
    h = await build(config([{ name: 'rate_limit', config: { max: 3, window: '10s' } }]), captureLogger().logger);
    jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await h.close();
  });
  const from = (remoteAddress: string, headers: Record<string, string> = {}) => h.apps[0]!.inject({ method: 'GET', url: '/r', remoteAddress, headers });

  it('answers 429 RATE_LIMITED with Retry-After and RateLimit-* headers past max', async () => {
    for (let i = 0; i < 3; i++) {
      const ok = await from('198.51.100.1');
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['ratelimit-limit']).toBe('3');
      expect(ok.headers['ratelimit-remaining']).toBe(String(2 - i));
    }
    const res = await from('198.51.100.1');
    expect(res.statusCode).toBe(429);
    expect(JSON.parse(res.body).code).toBe('RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(10);
    expect(res.headers['ratelimit-remaining']).toBe('0');
    expect(res.headers['ratelimit-reset']).toBeDefined();
    expect((await from('198.51.100.2')).statusCode).toBe(200);
  });

  it('groups IPv6 clients by /64', async () => {
    for (const ip of ['2001:db8:a:b::1', '2001:db8:a:b::2', '2001:db8:a:b:ffff::9']) expect((await from(ip)).statusCode).toBe(200);
    expect((await from('2001:db8:a:b:1234::1')).statusCode).toBe(429);
    expect((await from('2001:db8:a:c::1')).statusCode).toBe(200);
  });

  it('ignores a spoofed X-Forwarded-For when trust_proxy is off (the default)', async () => {
    for (let i = 0; i < 3; i++) expect((await from('198.51.100.9', { 'x-forwarded-for': `10.0.0.${i}` })).statusCode).toBe(200);
    expect((await from('198.51.100.9', { 'x-forwarded-for': '10.0.0.99' })).statusCode).toBe(429);
  });

  it('resets at the window edge: still limited just before it, a new budget from it (fixed window)', async () => {
    const ip = '198.51.100.20';
    const start = realNow() + offset;
    for (let i = 0; i < 3; i++) expect((await from(ip)).statusCode).toBe(200);
    expect((await from(ip)).statusCode).toBe(429);
    offset += 10_000 - (realNow() + offset - start) - 50;
    expect((await from(ip)).statusCode).toBe(429);
    offset += 100;
    // A burst right after the edge gets the full new budget: up to 2 × max within a short span.
    for (let i = 0; i < 3; i++) expect((await from(ip)).statusCode).toBe(200);
    expect((await from(ip)).statusCode).toBe(429);
  });
});

describe('rate_limit with trust_proxy', () => {
  it('honours X-Forwarded-For from a trusted proxy only (CIDR list)', async () => {
    const h = await build(config([{ name: 'rate_limit', config: { max: 1, window: '1m' } }], ['127.0.0.1/32']), captureLogger().logger);
    try {
      const via = (remoteAddress: string, xff: string) => h.apps[0]!.inject({ method: 'GET', url: '/r', remoteAddress, headers: { 'x-forwarded-for': xff } });
      expect((await via('127.0.0.1', '203.0.113.1')).statusCode).toBe(200);
      expect((await via('127.0.0.1', '203.0.113.2')).statusCode).toBe(200);
      expect((await via('127.0.0.1', '203.0.113.1')).statusCode).toBe(429);
      // From an untrusted peer the header is ignored: both count as 192.0.2.50.
      expect((await via('192.0.2.50', '203.0.113.3')).statusCode).toBe(200);
      expect((await via('192.0.2.50', '203.0.113.4')).statusCode).toBe(429);
    } finally {
      await h.close();
    }
  });

  it('honours a hop count', async () => {
    const h = await build(config([{ name: 'rate_limit', config: { max: 1, window: '1m' } }], 1), captureLogger().logger);
    try {
      const via = (xff: string) => h.apps[0]!.inject({ method: 'GET', url: '/r', remoteAddress: '10.1.1.1', headers: { 'x-forwarded-for': xff } });
      expect((await via('1.1.1.1, 203.0.113.10')).statusCode).toBe(200);
      // The spoofed left-most entry changes, the one the trusted hop saw does not.
      expect((await via('9.9.9.9, 203.0.113.10')).statusCode).toBe(429);
    } finally {
      await h.close();
    }
  });
});

describe('rate_limit keys', () => {
  let h: LokstraHandle;
  beforeAll(async () => {
    h = await build({
      server: { global_setting: { log_level: 'error' } },
      apps: [{
        name: 'api', address: ':0', routes: [
          { method: 'GET', path: '/user', handler: 'ok', middleware: [{ name: 'jwt', config: { secret: SECRET, algorithms: ['HS256'], optional: true } }, { name: 'rate_limit', config: { max: 1, key: 'user' } }] },
          { method: 'GET', path: '/tenant', handler: 'ok', middleware: [{ name: 'rate_limit', config: { max: 1, key: 'header:x-tenant' } }] },
        ],
      }],
    } as never, captureLogger().logger);
  });
  afterAll(() => h.close());

  it('key user counts per authenticated subject, after authentication', async () => {
    const as = async (sub: string) => h.apps[0]!.inject({ method: 'GET', url: '/user', remoteAddress: '198.51.100.30', headers: { authorization: `Bearer ${await sign({ sub })}` } });
    expect((await as('alice')).statusCode).toBe(200);
    expect((await as('bob')).statusCode).toBe(200);
    expect((await as('alice')).statusCode).toBe(429);
    // Anonymous requests fall back to the address.
    expect((await h.apps[0]!.inject({ method: 'GET', url: '/user', remoteAddress: '198.51.100.31' })).statusCode).toBe(200);
    expect((await h.apps[0]!.inject({ method: 'GET', url: '/user', remoteAddress: '198.51.100.31' })).statusCode).toBe(429);
  });

  it('key header:<name> counts per header value', async () => {
    const t = (tenant: string) => h.apps[0]!.inject({ method: 'GET', url: '/tenant', headers: { 'x-tenant': tenant } });
    expect((await t('a')).statusCode).toBe(200);
    expect((await t('b')).statusCode).toBe(200);
    expect((await t('a')).statusCode).toBe(429);
  });

  it('refuses an unknown key kind and a store that is not Redis, at boot', async () => {
    await expectBootError(build(config([{ name: 'rate_limit', config: { key: 'cookie' } }]), captureLogger().logger), 'LKS_ERR_CONFIG_INVALID');
    const withKv = { ...(config([{ name: 'rate_limit', config: { store: 'kv' } }]) as object), services: [{ name: 'kv', type: 'lokstra.kvstore_mem' }] };
    await expectBootError(build(withKv as never, captureLogger().logger), 'LKS_ERR_MIDDLEWARE_INVALID');
  });
});

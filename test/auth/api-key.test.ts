import { apiKeyHash, type KvStore, type LokstraHandle } from '../../src/index';
import { expectBootError } from '../http/routing/harness';
import { appWith, build, captureLogger } from './harness';

// The module object itself (an `import * as` namespace copy cannot be spied on).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeCrypto = require('node:crypto') as typeof import('node:crypto');

const ADMIN_KEY = 'lk_admin_3b9f0c2e7d614a8f9e5b1c0d2a4f6e8b';
const READER_KEY = 'lk_reader_7a1e4c9b2d5f8e0a3c6b9d2e5f8a1c4b';
const keys = () => [
  { id: 'admin-console', hash: apiKeyHash(ADMIN_KEY), roles: ['admin'], scopes: ['users:write'] },
  { id: 'reporting', hash: apiKeyHash(READER_KEY), scopes: ['users:read'] },
  { id: 'revoked-later', hash: apiKeyHash('lk_other_key_0000000000000000000000') },
];

describe('api_key with keys in YAML', () => {
  let h: LokstraHandle;
  beforeAll(async () => {
    h = await build(appWith([{ name: 'api_key', config: { keys: keys() } }], [
      { method: 'GET', path: '/q', handler: 'whoami', middleware: [{ name: 'api_key', config: { keys: keys(), query: 'api_key' } }] },
      { method: 'GET', path: '/admin', handler: 'ok', middleware: [{ name: 'api_key', config: { keys: keys() } }, { name: 'authorize', config: { roles: ['admin'] } }] },
    ]), captureLogger().logger);
  });
  afterAll(() => h.close());
  const get = (url: string, headers: Record<string, string> = {}) => h.apps[0]!.inject({ method: 'GET', url, headers });

  it('sets ctx.auth from a known key', async () => {
    const res = await get('/me', { 'x-api-key': ADMIN_KEY });
    expect(res.statusCode).toBe(200);
    const auth = JSON.parse(res.body).data.auth as Record<string, unknown>;
    expect(auth).toMatchObject({ method: 'api_key', subject: 'admin-console', roles: ['admin'], scopes: ['users:write'] });
    expect(JSON.stringify(auth)).not.toContain('sha256');
  });

  it('answers 401 UNAUTHORIZED for a missing, unknown or empty key', async () => {
    for (const headers of [{} as Record<string, string>, { 'x-api-key': 'lk_admin_wrong' }, { 'x-api-key': '' }, { 'x-api-key': ADMIN_KEY.slice(0, -1) }, { 'x-api-key': apiKeyHash(ADMIN_KEY) }]) {
      const res = await get('/me', headers);
      expect(res.statusCode).toBe(401);
      expect(JSON.parse(res.body).code).toBe('UNAUTHORIZED');
      expect(res.headers['www-authenticate']).toBe('ApiKey');
    }
  });

  it('ignores a key in the query string unless `query` is configured', async () => {
    expect((await get(`/me?api_key=${READER_KEY}`)).statusCode).toBe(401);
    expect((await get(`/me?x-api-key=${READER_KEY}`)).statusCode).toBe(401);
    const res = await get(`/q?api_key=${READER_KEY}`);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).data.auth.subject).toBe('reporting');
  });

  it('works with authorize (403 for a key without the role)', async () => {
    expect((await get('/admin', { 'x-api-key': READER_KEY })).statusCode).toBe(403);
    expect((await get('/admin', { 'x-api-key': ADMIN_KEY })).statusCode).toBe(200);
  });

  it('compares with crypto.timingSafeEqual on equal-length SHA-256 digests, against every key', async () => {
    const spy = jest.spyOn(nodeCrypto, 'timingSafeEqual');
    try {
      for (const key of [READER_KEY, 'short', 'x'.repeat(5000)]) {
        spy.mockClear();
        await get('/me', { 'x-api-key': key });
        expect(spy).toHaveBeenCalledTimes(3);
        for (const [a, b] of spy.mock.calls) {
          expect((a as Buffer).length).toBe(32);
          expect((b as Buffer).length).toBe(32);
        }
      }
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses keys written in clear instead of hashed, at boot', async () => {
    await expectBootError(build(appWith([{ name: 'api_key', config: { keys: [{ id: 'a', hash: ADMIN_KEY }] } }]), captureLogger().logger), 'LKS_ERR_CONFIG_INVALID');
    await expectBootError(build(appWith([{ name: 'api_key', config: {} }]), captureLogger().logger), 'LKS_ERR_MIDDLEWARE_INVALID');
  });
});

describe('api_key with keys in a store service', () => {
  let h: LokstraHandle;
  beforeAll(async () => {
    const config = appWith([{ name: 'api_key', config: { store: 'api-keys' } }]) as Record<string, unknown>;
    config.services = [{ name: 'api-keys', type: 'lokstra.kvstore_mem' }];
    h = await build(config as never, captureLogger().logger);
    const store = h.getService<KvStore>('api-keys');
    await store.set(`api_key:${apiKeyHash(ADMIN_KEY).slice(7)}`, { id: 'from-store', roles: ['admin'] });
  });
  afterAll(() => h.close());

  it('looks the key up by its SHA-256 digest', async () => {
    const res = await h.apps[0]!.inject({ method: 'GET', url: '/me', headers: { 'x-api-key': ADMIN_KEY } });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).data.auth).toMatchObject({ method: 'api_key', subject: 'from-store', roles: ['admin'] });
    expect((await h.apps[0]!.inject({ method: 'GET', url: '/me', headers: { 'x-api-key': READER_KEY } })).statusCode).toBe(401);
  });

  it('answers 503 (not 500) when the store fails', async () => {
    const store = h.getService<KvStore>('api-keys');
    const spy = jest.spyOn(store, 'get').mockRejectedValue(new Error('connection reset'));
    try {
      const res = await h.apps[0]!.inject({ method: 'GET', url: '/me', headers: { 'x-api-key': ADMIN_KEY } });
      expect(res.statusCode).toBe(503);
      expect(res.body).not.toContain('connection reset');
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses a store that is not registered, at boot', async () => {
    await expectBootError(build(appWith([{ name: 'api_key', config: { store: 'nope' } }]), captureLogger().logger), 'LKS_ERR_DI_NOT_FOUND');
  });
});

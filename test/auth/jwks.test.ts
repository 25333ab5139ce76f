import type { LokstraHandle } from '../../src/index';
import { appWith, build, captureLogger, JwksServer, keyPair, sign } from './harness';

const claims = { sub: 'svc-1', roles: ['reader'] };

describe('jwt with a JWKS endpoint', () => {
  const jwks = new JwksServer();
  let h: LokstraHandle;
  let a: Awaited<ReturnType<typeof keyPair>>;
  let b: Awaited<ReturnType<typeof keyPair>>;
  let offset = 0;
  const realNow = Date.now.bind(Date);

  beforeAll(async () => {
    [a, b] = await Promise.all([keyPair('RS256', 'key-a'), keyPair('ES256', 'key-b')]);
    jwks.keys = [a.jwk];
    const url = await jwks.start();
    h = await build(appWith([{ name: 'jwt', config: { jwks_url: url, algorithms: ['RS256', 'ES256'] } }]), captureLogger().logger);
    // jose's cooldown and cache ages are read from Date.now: the clock is the boundary moved here.
    jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await h.close();
    await jwks.stop();
  });
  const get = (token: string) => h.apps[0]!.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${token}` } });

  it('fetches the key set lazily, on the first token, and caches it', async () => {
    expect(jwks.fetches).toBe(0);
    const token = await sign(claims, { alg: 'RS256', key: a.privateKey, kid: 'key-a' });
    expect((await get(token)).statusCode).toBe(200);
    expect((await get(token)).statusCode).toBe(200);
    expect(jwks.fetches).toBe(1);
    expect(jwks.paths).toEqual(['/jwks']);
  });

  it('re-fetches on an unknown kid at most once per 30 s (a rotation: key added)', async () => {
    jwks.keys = [a.jwk, b.jwk];
    const tokenB = await sign(claims, { alg: 'ES256', key: b.privateKey, kid: 'key-b' });
    // Within 30 s of the last fetch: not re-fetched, so key-b is still unknown.
    expect((await get(tokenB)).statusCode).toBe(401);
    // A flood of unknown kids (path and SQL characters included) costs no fetch either.
    for (const kid of ['../../jwks', "x' OR '1'='1", 'k3', 'k4']) {
      expect((await get(await sign(claims, { alg: 'ES256', key: b.privateKey, kid }))).statusCode).toBe(401);
    }
    expect(jwks.fetches).toBe(1);
    offset += 31_000;
    expect((await get(tokenB)).statusCode).toBe(200);
    expect(jwks.fetches).toBe(2);
    expect((await get(tokenB)).statusCode).toBe(200);
    expect(jwks.fetches).toBe(2);
  });

  it('stops accepting a removed key once the cached set is refreshed (key removed)', async () => {
    jwks.keys = [b.jwk];
    const tokenA = await sign(claims, { alg: 'RS256', key: a.privateKey, kid: 'key-a' });
    const tokenB = await sign(claims, { alg: 'ES256', key: b.privateKey, kid: 'key-b' });
    offset += 11 * 60_000; // past the 10 min cache age
    expect((await get(tokenA)).statusCode).toBe(401);
    expect(jwks.fetches).toBe(3);
    expect((await get(tokenB)).statusCode).toBe(200);
  });

  it('never lets a token pick an algorithm the key was not listed for', async () => {
    const hs = await sign(claims, { alg: 'HS256', key: new TextEncoder().encode(a.pem), kid: 'key-b' });
    expect((await get(hs)).statusCode).toBe(401);
  });
});

describe('jwt when the JWKS endpoint is down or slow', () => {
  const jwks = new JwksServer();
  let h: LokstraHandle;
  let a: Awaited<ReturnType<typeof keyPair>>;
  let url: string;

  beforeAll(async () => {
    a = await keyPair('RS256', 'key-a');
    jwks.keys = [a.jwk];
    url = await jwks.start();
    h = await build(appWith([{ name: 'jwt', config: { jwks_url: url, algorithms: ['RS256'], jwks_timeout: '300ms' } }]), captureLogger().logger);
  });
  afterAll(async () => {
    await h.close();
    await jwks.stop();
  });
  const get = (token: string) => h.apps[0]!.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${token}` } });

  it('answers 503 with Retry-After within the timeout when the endpoint hangs', async () => {
    jwks.mode = 'hang';
    const token = await sign(claims, { alg: 'RS256', key: a.privateKey, kid: 'key-a' });
    const started = Date.now();
    const res = await get(token);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    expect(JSON.parse(res.body).code).toBe('SERVICE_UNAVAILABLE');
    expect(res.body).not.toContain('127.0.0.1');
  });

  it('answers 503 when the endpoint fails, and recovers when it is back', async () => {
    jwks.mode = 'error';
    const token = await sign(claims, { alg: 'RS256', key: a.privateKey, kid: 'key-a' });
    expect((await get(token)).statusCode).toBe(503);
    jwks.mode = 'ok';
    expect((await get(token)).statusCode).toBe(200);
  });

  it('answers 503 quickly when nothing listens there, 401 for a malformed token (no fetch needed)', async () => {
    await jwks.stop();
    const down = await build(appWith([{ name: 'jwt', config: { jwks_url: url, algorithms: ['RS256'], jwks_timeout: '300ms' } }]), captureLogger().logger);
    try {
      const token = await sign(claims, { alg: 'RS256', key: a.privateKey, kid: 'key-a' });
      const started = Date.now();
      const res = await down.apps[0]!.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode).toBe(503);
      expect(Date.now() - started).toBeLessThan(1500);
      const bad = await down.apps[0]!.inject({ method: 'GET', url: '/me', headers: { authorization: 'Bearer a.b.c' } });
      expect(bad.statusCode).toBe(401);
    } finally {
      await down.close();
    }
  });
});

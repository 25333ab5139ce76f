import { request as httpRequest } from 'node:http';
import * as jose from 'jose';
import { Lokstra, type LokstraHandle } from '../../src/index';
import { compileJwt } from '../../src/auth/jwt';
import { expectBootError } from '../http/routing/harness';
import { appWith, build, captureLogger, keyPair, linesWith, SECRET, sign } from './harness';

const hsConfig = (): Record<string, unknown> => ({ secret: SECRET, algorithms: ['HS256'], issuer: 'https://issuer.test', audience: 'lokstra-api' });
const HS = { name: 'jwt', config: hsConfig() };
const claims = { sub: 'user-1', iss: 'https://issuer.test', aud: 'lokstra-api', roles: ['admin'], scope: 'notes:read notes:write' };

function expectUnauthorized(res: { statusCode: number; headers: Record<string, unknown>; body: string }): void {
  expect(res.statusCode).toBe(401);
  expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  const body = JSON.parse(res.body) as { status: string; code: string; message: string };
  expect(body.code).toBe('UNAUTHORIZED');
  expect(body.message).toBe('Unauthorized');
}

describe('jwt (HS256)', () => {
  let h: LokstraHandle;
  const log = captureLogger();
  beforeAll(async () => {
    h = await build(appWith([HS], [
      { method: 'GET', path: '/cookie', handler: 'whoami', middleware: [{ name: 'jwt', config: { ...hsConfig(), cookie: 'token' } }] },
      { method: 'GET', path: '/maybe', handler: 'whoami', middleware: [{ name: 'jwt', config: { ...hsConfig(), optional: true } }] },
    ]), log.logger);
  });
  afterAll(() => h.close());
  const get = (token: string | undefined, url = '/me') => h.apps[0]!.inject({ method: 'GET', url, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

  it('sets ctx.auth from a valid token', async () => {
    const res = await get(await sign(claims));
    expect(res.statusCode).toBe(200);
    const auth = (JSON.parse(res.body) as { data: { auth: Record<string, unknown> } }).data.auth;
    expect(auth).toMatchObject({ method: 'jwt', subject: 'user-1', roles: ['admin'], scopes: ['notes:read', 'notes:write'] });
    expect((auth.claims as Record<string, unknown>).iss).toBe('https://issuer.test');
  });

  it('accepts the scheme in any case', async () => {
    const res = await h.apps[0]!.inject({ method: 'GET', url: '/me', headers: { authorization: `bearer ${await sign(claims)}` } });
    expect(res.statusCode).toBe(200);
  });

  it('answers 401 with WWW-Authenticate without a token, or with another scheme', async () => {
    expectUnauthorized(await get(undefined));
    expectUnauthorized(await h.apps[0]!.inject({ method: 'GET', url: '/me', headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } }));
  });

  it('rejects alg none (an unsigned token)', async () => {
    expectUnauthorized(await get(new jose.UnsecuredJWT(claims).setExpirationTime('1h').encode()));
    // The same with the header rewritten by hand and a signature left on.
    const signed = await sign(claims);
    const [, payload, sig] = signed.split('.');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    expectUnauthorized(await get(`${none}.${payload}.${sig}`));
    expectUnauthorized(await get(`${none}.${payload}.`));
  });

  it('rejects an algorithm not listed (HS512 with the right secret)', async () => {
    expectUnauthorized(await get(await sign(claims, { alg: 'HS512' })));
  });

  it('rejects expired tokens beyond the 30 s clock tolerance and accepts within it', async () => {
    const now = Math.floor(Date.now() / 1000);
    expectUnauthorized(await get(await sign({ ...claims, exp: now - 60 })));
    expect((await get(await sign({ ...claims, exp: now - 10 }))).statusCode).toBe(200);
  });

  it('rejects tokens that are not yet valid (nbf)', async () => {
    const now = Math.floor(Date.now() / 1000);
    expectUnauthorized(await get(await sign({ ...claims, nbf: now + 3600 })));
  });

  it('rejects a wrong issuer or audience', async () => {
    expectUnauthorized(await get(await sign({ ...claims, iss: 'https://evil.test' })));
    expectUnauthorized(await get(await sign({ ...claims, aud: 'other-api' })));
    const { iss: _iss, ...noIssuer } = claims;
    expectUnauthorized(await get(await sign(noIssuer)));
  });

  it('rejects a bad signature and a token signed with another secret', async () => {
    const token = await sign(claims);
    const sig = token.split('.')[2] as string;
    const flipped = `${token.slice(0, token.length - sig.length)}${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    expectUnauthorized(await get(flipped));
    expectUnauthorized(await get(await sign(claims, { key: new TextEncoder().encode('another-secret-0123456789-abcdefghijk') })));
  });

  it('rejects malformed tokens', async () => {
    for (const bad of ['abc', 'a.b', 'a.b.c', 'a.b.c.d', '...', '.', 'eyJhbGciOiJIUzI1NiJ9..', '%%%.%%%.%%%', 'eyJ.eyJ.eyJ', '{"alg":"HS256"}.e30.x']) {
      expectUnauthorized(await get(bad));
    }
    const payload = Buffer.from('not json').toString('base64url');
    const header = Buffer.from(JSON.stringify({ alg: 'HS256' })).toString('base64url');
    expectUnauthorized(await get(`${header}.${payload}.sig`));
  });

  it('refuses a 100 KB token before parsing it (401 in process, a 4xx over a real socket)', async () => {
    const huge = `${'a'.repeat(50_000)}.${'b'.repeat(50_000)}.c`;
    expectUnauthorized(await get(huge));
    expect(linesWith(log.lines(), 'jwt: request rejected').some((l) => l.reason === 'token_too_long')).toBe(true);
    await h.listen();
    const url = h.apps[0]!.url as string;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${url}/me`, { headers: { authorization: `Bearer ${huge}` } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
  });

  it('logs the reason and never sends it to the client', async () => {
    const res = await get(await sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 3600 }));
    expectUnauthorized(res);
    expect(res.body).not.toMatch(/exp|expired|claim/i);
    const line = linesWith(log.lines(), 'jwt: request rejected').pop() as Record<string, unknown>;
    expect(line.reason).toBe('ERR_JWT_EXPIRED');
    expect(line.requestId).toBeDefined();
  });

  it('reads the token from a cookie when configured', async () => {
    const res = await h.apps[0]!.inject({ method: 'GET', url: '/cookie', headers: { cookie: `other=1; token=${await sign(claims)}` } });
    expect(res.statusCode).toBe(200);
    expectUnauthorized(await h.apps[0]!.inject({ method: 'GET', url: '/cookie', headers: { cookie: 'token=bad' } }));
  });

  it('optional: lets anonymous requests through, still rejects bad tokens', async () => {
    const res = await get(undefined, '/maybe');
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).data.auth).toBeNull();
    expectUnauthorized(await get('a.b.c', '/maybe'));
  });
});

describe('jwt (RS256 public key)', () => {
  let h: LokstraHandle;
  let rsa: Awaited<ReturnType<typeof keyPair>>;
  beforeAll(async () => {
    rsa = await keyPair('RS256', 'k1');
    h = await build(appWith([{ name: 'jwt', config: { public_key: rsa.pem, algorithms: ['RS256'] } }]), captureLogger().logger);
  });
  afterAll(() => h.close());
  const get = (token: string) => h.apps[0]!.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${token}` } });

  it('accepts RS256 tokens signed by the private key', async () => {
    expect((await get(await sign(claims, { alg: 'RS256', key: rsa.privateKey }))).statusCode).toBe(200);
  });

  it('rejects algorithm confusion: HS256 signed with the RSA public key as HMAC secret', async () => {
    expectUnauthorized(await get(await sign(claims, { alg: 'HS256', key: new TextEncoder().encode(rsa.pem) })));
  });

  it('rejects a kid with path or SQL characters', async () => {
    const other = await keyPair('RS256', 'x');
    for (const kid of ['../../../../etc/passwd', "' OR 1=1 --", 'a\u0000b', '${jndi:ldap://x}']) {
      expectUnauthorized(await get(await sign(claims, { alg: 'RS256', key: other.privateKey, kid })));
    }
  });
});

async function compileDirect(config: Record<string, unknown>): Promise<unknown> {
  const quiet = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };
  return compileJwt(config, { container: { get: () => { throw new Error('no'); } }, logger: quiet });
}

describe('jwt config', () => {
  const boot = (config: Record<string, unknown>) => build(appWith([{ name: 'jwt', config }]), captureLogger().logger);

  it('refuses alg none, a missing algorithm list and an unknown algorithm at boot (YAML schema)', async () => {
    await expectBootError(boot({ secret: SECRET, algorithms: ['none'] }), 'LKS_ERR_CONFIG_INVALID');
    await expectBootError(boot({ secret: SECRET }), 'LKS_ERR_CONFIG_INVALID');
    await expectBootError(boot({ secret: SECRET, algorithms: [] }), 'LKS_ERR_CONFIG_INVALID');
    await expectBootError(boot({ secret: SECRET, algorithms: ['HS1'] }), 'LKS_ERR_CONFIG_INVALID');
  });

  it('refuses alg none in code too (the middleware checks it, not only the YAML schema)', async () => {
    for (const algorithms of [['none'], ['HS256', 'NONE'], []]) {
      const lk = new Lokstra({ logger: captureLogger().logger, handleSignals: false });
      lk.app('api', ':0').get('/x', (ctx) => ctx.ok(1), { name: 'jwt', config: { secret: SECRET, algorithms } });
      await expectBootError(lk.build({ server: { global_setting: { log_level: 'error' } } } as never), 'LKS_ERR_MIDDLEWARE_INVALID');
    }
    const err = await expectBootError(compileDirect({ secret: SECRET, algorithms: ['none'] }), 'LKS_ERR_MIDDLEWARE_INVALID');
    expect(err.message).toContain("'none'");
  });

  it('refuses a key source that does not fit the algorithms (the confusion hole) and short secrets', async () => {
    const { pem } = await keyPair('RS256', 'k');
    const err = await expectBootError(boot({ public_key: pem, algorithms: ['RS256', 'HS256'] }), 'LKS_ERR_MIDDLEWARE_INVALID');
    expect(err.message).toContain('HS256');
    await expectBootError(boot({ secret: SECRET, algorithms: ['RS256'] }), 'LKS_ERR_MIDDLEWARE_INVALID');
    await expectBootError(boot({ secret: 'short', algorithms: ['HS256'] }), 'LKS_ERR_MIDDLEWARE_INVALID');
    await expectBootError(boot({ secret: SECRET, public_key: pem, algorithms: ['HS256'] }), 'LKS_ERR_MIDDLEWARE_INVALID');
    await expectBootError(boot({ public_key: 'not a key', algorithms: ['RS256'] }), 'LKS_ERR_MIDDLEWARE_INVALID');
    await expectBootError(boot({ jwks_url: 'file:///etc/passwd', algorithms: ['RS256'] }), 'LKS_ERR_MIDDLEWARE_INVALID');
  });
});

import type { ChildProcess } from 'node:child_process';
import { defineModule, type Context, type LokstraHandle } from '../../src/index';
import type { OAuth2Login } from '../../src/auth/oauth2';
import { expectBootError } from '../http/routing/harness';
import { build, captureLogger, linesWith } from './harness';
import { followProvider, Jar, startProvider } from './oidc-helpers';

const CALLBACK = 'http://app.test/auth/callback';

const loginHandlers = defineModule({
  name: 'oauth2-test-handlers',
  handlers: {
    onLogin: (ctx: Context, login: OAuth2Login) => ctx.ok({
      sub: login.claims.sub, email: login.claims.email, access: typeof login.tokens.access_token === 'string', idToken: typeof login.tokens.id_token === 'string',
    }),
    ping: (ctx: Context) => ctx.ok('pong'),
  },
});

describe('oauth2 against a real OpenID Provider (oidc-provider)', () => {
  let provider: { issuer: string; child: ChildProcess };
  let h: LokstraHandle;
  const log = captureLogger();

  beforeAll(async () => {
    provider = await startProvider(CALLBACK);
    h = await build({
      server: { global_setting: { log_level: 'error' } },
      apps: [{
        name: 'web', address: ':0',
        middleware: [{
          name: 'oauth2',
          config: {
            discovery_url: provider.issuer, client_id: 'lokstra-app', client_secret: 'lokstra-app-secret-0123456789',
            scope: 'openid email profile', start_path: '/auth/login', callback_path: '/auth/callback', callback_uri: CALLBACK, on_login: 'onLogin',
          },
        }],
        routes: [{ method: 'GET', path: '/ping', handler: 'ping' }],
      }],
    } as never, log.logger, [loginHandlers]);
  }, 30_000);
  afterAll(async () => {
    await h?.close();
    provider?.child.kill('SIGTERM');
  });

  /** Runs the browser's part up to the redirect back to the app: returns the callback URL and the app's cookies then. */
  async function authorize(): Promise<{ callback: URL; jar: Jar }> {
    const jar = new Jar();
    const start = await h.apps[0]!.inject({ method: 'GET', url: '/auth/login' });
    expect(start.statusCode).toBe(302);
    jar.take([start.headers['set-cookie'] ?? []].flat() as string[]);
    expect(jar.cookies.has('oauth2-redirect-state')).toBe(true);
    expect(jar.cookies.has('oauth2-code-verifier')).toBe(true);
    const location = String(start.headers.location);
    const auth = new URL(location);
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('state')).toBeTruthy();
    return { callback: await followProvider(location, provider.issuer, CALLBACK), jar };
  }

  const callback = (url: URL, cookie: string) => h.apps[0]!.inject({ method: 'GET', url: `${url.pathname}${url.search}`, headers: { cookie } });

  it('logs in with authorization code + PKCE + state and calls on_login with the tokens and verified ID-token claims', async () => {
    const { callback: url, jar } = await authorize();
    const res = await callback(url, jar.header());
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toEqual({ sub: 'alice', email: 'alice@example.test', access: true, idToken: true });
    const cleared = [res.headers['set-cookie'] ?? []].flat().join('\n');
    expect(cleared).toMatch(/oauth2-redirect-state=;/);
  }, 30_000);

  it('refuses a wrong state (401, nothing exchanged)', async () => {
    const { callback: url, jar } = await authorize();
    url.searchParams.set('state', 'forged-state');
    const res = await callback(url, jar.header());
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('UNAUTHORIZED');
    expect(res.body).not.toMatch(/state|invalid_grant/i);
  }, 30_000);

  it('refuses a replayed code', async () => {
    const { callback: url, jar } = await authorize();
    const cookies = jar.header();
    expect((await callback(url, cookies)).statusCode).toBe(200);
    const replay = await callback(url, cookies);
    expect(replay.statusCode).toBe(401);
    expect(linesWith(log.lines(), 'oauth2: login failed').pop()?.reason).toBe('invalid_grant');
  }, 30_000);

  it('refuses a PKCE verifier that does not match the challenge', async () => {
    const { callback: url, jar } = await authorize();
    jar.cookies.set('oauth2-code-verifier', 'x'.repeat(64));
    const res = await callback(url, jar.header());
    expect(res.statusCode).toBe(401);
    expect(linesWith(log.lines(), 'oauth2: login failed').pop()?.reason).toBe('invalid_grant');
  }, 30_000);

  it('refuses a callback without a code or with a foreign one', async () => {
    const { callback: url, jar } = await authorize();
    url.searchParams.set('code', 'not-a-code-from-this-provider');
    expect((await callback(url, jar.header())).statusCode).toBe(401);
    url.searchParams.delete('code');
    expect((await callback(url, jar.header())).statusCode).toBe(401);
  }, 30_000);

  it('refuses an on_login that is not a registered handler, at boot', async () => {
    await expectBootError(build({
      apps: [{
        name: 'web', address: ':0', routes: [{ method: 'GET', path: '/ping', handler: 'ping' }],
        middleware: [{ name: 'oauth2', config: { discovery_url: provider.issuer, client_id: 'x', on_login: 'nope' } }],
      }],
    } as never, captureLogger().logger, [loginHandlers]), 'LKS_ERR_MIDDLEWARE_INVALID');
  }, 30_000);
});

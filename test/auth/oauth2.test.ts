import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { defineModule, type Context, type LokstraHandle } from '../../src/index';
import type { OAuth2Login } from '../../src/auth/oauth2';
import { expectBootError } from '../http/routing/harness';
import { build, captureLogger, linesWith } from './harness';

const CALLBACK = 'http://app.test/auth/callback';

/** Starts the real OpenID Provider (oidc-provider is ESM-only: a child process) and reads its issuer URL. */
function startProvider(): Promise<{ issuer: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'fixtures', 'oidc-provider.mjs'), CALLBACK], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`oidc-provider did not start: ${out}`)), 20_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n')[0] as string;
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve({ issuer: (JSON.parse(line) as { issuer: string }).issuer, child });
      }
    });
    child.on('error', reject);
  });
}

/** A cookie jar: name → value, every path (enough for one host per jar). */
class Jar {
  readonly cookies = new Map<string, string>();
  take(setCookies: string[]): void {
    for (const c of setCookies) {
      const [pair, ...attrs] = c.split(';');
      const eq = (pair as string).indexOf('=');
      const name = (pair as string).slice(0, eq).trim();
      const value = (pair as string).slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1] as string) < Date.now()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

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
    provider = await startProvider();
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
    let location = String(start.headers.location);
    const auth = new URL(location);
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('state')).toBeTruthy();
    const op = new Jar();
    for (let hop = 0; hop < 12; hop++) {
      if (location.startsWith(CALLBACK)) return { callback: new URL(location), jar };
      const res = await fetch(new URL(location, provider.issuer), { redirect: 'manual', headers: { cookie: op.header() } });
      op.take(res.headers.getSetCookie());
      const next = res.headers.get('location');
      if (next === null) throw new Error(`provider stopped at ${location}: ${res.status} ${await res.text()}`);
      location = new URL(next, provider.issuer).toString();
    }
    throw new Error('too many redirects');
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

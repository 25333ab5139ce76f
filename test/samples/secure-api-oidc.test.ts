import 'reflect-metadata';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Lokstra, type LokstraHandle } from '../../src/index';
import { SecureApiModule } from '../../samples/secure-api/module';
import { memoryLogger } from '../helpers/memory-logger';
import { describeWith, REDIS_URL } from '../services/helpers/servers';
import { followProvider, Jar, startProvider } from '../auth/oidc-helpers';

const CONFIG = join(__dirname, '..', '..', 'samples', 'secure-api', 'lokstra.yaml');
const CALLBACK = 'http://web.test/oidc/callback';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    }).on('error', reject);
  });
}

// LOKSTRA_ENV=oidc adds the `oauth2` login of lokstra.oidc.yaml to the web app (its own listener, so
// its app-level session covers the login routes).
describeWith(['Redis'], 'samples/secure-api with LOKSTRA_ENV=oidc', () => {
  let provider: { issuer: string; child: ChildProcess };
  let h: LokstraHandle;
  const saved = { ...process.env };
  beforeAll(async () => {
    provider = await startProvider(CALLBACK);
    Object.assign(process.env, {
      PORT: '0', ADMIN_PORT: '0', WEB_PORT: String(await freePort()), REDIS_URL, LOKSTRA_ENV: 'oidc',
      OIDC_ISSUER: provider.issuer, OIDC_CLIENT_ID: 'lokstra-app', OIDC_CLIENT_SECRET: 'lokstra-app-secret-0123456789', OIDC_CALLBACK_URI: CALLBACK,
    });
    h = await Lokstra.build(CONFIG, { modules: [SecureApiModule], logger: memoryLogger(), handleSignals: false });
  }, 30_000);
  afterAll(async () => {
    await h?.close();
    provider?.child.kill('SIGTERM');
    process.env = saved;
  });

  it('signs in through the provider into a cookie session (id regenerated) and shows the user', async () => {
    const web = h.app('web');
    const jar = new Jar();
    const start = await web.inject('/oidc/login');
    expect(start.statusCode).toBe(302);
    jar.take([start.headers['set-cookie'] ?? []].flat() as string[]);
    const url = await followProvider(String(start.headers.location), provider.issuer, CALLBACK);
    const done = await web.inject({ method: 'GET', url: `${url.pathname}${url.search}`, headers: { cookie: jar.header() } });
    expect(done.statusCode).toBe(303);
    jar.take([done.headers['set-cookie'] ?? []].flat() as string[]);
    expect(jar.cookies.has('sid')).toBe(true);
    const page = await web.inject({ method: 'GET', url: '/', headers: { cookie: jar.header() } });
    expect(page.body).toContain('Signed in as <b>alice</b>');
  }, 30_000);
});

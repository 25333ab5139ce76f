import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Lokstra, type AppHandle, type LokstraHandle } from '../../src/index';
import { SecureApiModule } from '../../samples/secure-api/module';
import { memoryLogger } from '../helpers/memory-logger';
import { describeWith, REDIS_URL } from '../services/helpers/servers';

const CONFIG = join(__dirname, '..', '..', 'samples', 'secure-api', 'lokstra.yaml');
const ADMIN_KEY = 'lk_demo_admin_key_change_me_0123456789';
// A fresh /64 per run: the login budget lives in Redis for a minute.
const net64 = (): string => `2001:db8:${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}`;
const CLIENT = `${net64()}::1`;
const ISSUER_CLIENT = `${net64()}::1`;

function setCookies(res: { headers: Record<string, unknown> }): string {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw as string[] : raw === undefined ? [] : [String(raw)];
  return list.map((c) => c.split(';')[0]).join('; ');
}

describeWith(['Redis'], 'samples/secure-api', () => {
  let h: LokstraHandle;
  let api: AppHandle;
  const saved = { ...process.env };
  beforeAll(async () => {
    Object.assign(process.env, { PORT: '0', ADMIN_PORT: '0', WEB_PORT: '0', REDIS_URL });
    h = await Lokstra.build(CONFIG, { modules: [SecureApiModule], logger: memoryLogger(), handleSignals: false });
    api = h.app('api');
  });
  afterAll(async () => {
    await h.close();
    process.env = saved;
  });

  const token = async (username: string, password: string): Promise<string> => {
    const res = await api.inject({ method: 'POST', url: '/auth/token', remoteAddress: ISSUER_CLIENT, payload: { username, password } });
    expect(res.statusCode).toBe(200);
    return res.json().data.token as string;
  };
  const as = (t: string | undefined, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
    api.inject({ method, url, headers: t === undefined ? {} : { authorization: `Bearer ${t}` }, ...(payload === undefined ? {} : { payload: payload as object }) });

  it('API: JWT with roles and scopes (401 without, 403 without the scope or role)', async () => {
    const alice = await token('alice', 'alice-pass');
    const bob = await token('bob', 'bob-pass');
    expect((await as(undefined, 'GET', '/notes')).statusCode).toBe(401);
    expect((await as(alice, 'POST', '/notes', { text: 'hello' })).statusCode).toBe(200);
    expect((await as(bob, 'GET', '/notes')).json().data).toEqual([expect.objectContaining({ owner: 'alice', text: 'hello' })]);
    expect((await as(bob, 'POST', '/notes', { text: 'nope' })).json().code).toBe('FORBIDDEN');
    expect((await as(alice, 'DELETE', '/notes/1')).statusCode).toBe(403);
    expect((await as(await token('root', 'root-pass'), 'DELETE', '/notes/1')).statusCode).toBe(200);
  });

  it('API: the token endpoint is public and allows 5 attempts a minute per client (in Redis)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await api.inject({ method: 'POST', url: '/auth/token', remoteAddress: CLIENT, payload: { username: 'alice', password: 'guess' } });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('admin: an API key with the admin role', async () => {
    const admin = h.app('admin');
    expect((await admin.inject({ method: 'GET', url: '/admin/stats' })).statusCode).toBe(401);
    expect((await admin.inject({ method: 'GET', url: '/admin/stats', headers: { 'x-api-key': 'wrong' } })).statusCode).toBe(401);
    const res = await admin.inject({ method: 'GET', url: '/admin/stats', headers: { 'x-api-key': ADMIN_KEY } });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ caller: 'ops-console' });
  });

  it('web: session login with CSRF, the session id regenerated, htmx requests carrying the token', async () => {
    const web = h.app('web');
    const page = await web.inject('/');
    expect(page.statusCode).toBe(200);
    const field = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] as string;
    expect(field).toBeDefined();
    const cookies = setCookies(page);
    const form = { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies };
    const noToken = await web.inject({ method: 'POST', url: '/session/login', headers: form, payload: 'username=alice&password=alice-pass' });
    expect(noToken.json().code).toBe('CSRF_INVALID');
    const login = await web.inject({ method: 'POST', url: '/session/login', headers: form, payload: `_csrf=${encodeURIComponent(field)}&username=alice&password=alice-pass` });
    expect(login.statusCode).toBe(303);
    const session = setCookies(login);
    expect(session).toMatch(/^sid=/);
    const signedIn = await web.inject({ method: 'GET', url: '/', headers: { cookie: `${cookies}; ${session}` } });
    expect(signedIn.body).toContain('Signed in as <b>alice</b>');
    const meta = /<meta name="csrf-token" content="([^"]+)">/.exec(signedIn.body)?.[1] as string;
    const add = await web.inject({
      method: 'POST', url: '/session/notes', payload: 'text=from+htmx',
      headers: { cookie: `${cookies}; ${session}`, 'x-csrf-token': meta, 'hx-request': 'true', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(add.statusCode).toBe(200);
    expect(add.body).toContain('from htmx');
    const anonymous = await web.inject({ method: 'POST', url: '/session/notes', payload: 'text=x', headers: { cookie: cookies, 'x-csrf-token': meta, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(anonymous.statusCode).toBe(401);
  });
});

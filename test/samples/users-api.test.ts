import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Lokstra, type LokstraHandle } from '../../src/index';
import { captureLogger, settle } from '../middleware/harness';
import { UsersApiModule } from '../../samples/users-api/module';
import { freePort, get } from '../helpers/net';

const ROOT = join(__dirname, '..', '..');

describe('sample: users-api (lokstra.config.yaml)', () => {
  let h: LokstraHandle;
  const log = captureLogger('info');
  beforeAll(async () => {
    delete process.env.PORT;
    delete process.env.ADMIN_PORT;
    delete process.env.ADMIN_TOKEN;
    h = await Lokstra.build(join(ROOT, 'lokstra.config.yaml'), { modules: [UsersApiModule], logger: log.logger });
  });
  afterAll(() => h.close());
  const api = () => h.apps.find((a) => a.name === 'api')!;
  const admin = () => h.apps.find((a) => a.name === 'admin')!;

  it('declares two apps on two addresses', () => {
    expect(h.apps.map((a) => [a.name, a.address])).toEqual([['api', '0.0.0.0:8080'], ['admin', '127.0.0.1:8081']]);
  });

  it('answers /health from a YAML route with a named handler', async () => {
    const res = await api().inject('/health');
    expect(res.json()).toEqual({ code: 'OK', success: true, data: { status: 'up' } });
  });

  it('paginates users with okPagination', async () => {
    const res = await api().inject('/users?page=2&page_size=1');
    const body = res.json();
    expect(body.meta.pagination).toEqual({ page: 2, pageSize: 1, total: 2, totalPages: 2, hasNext: false, hasPrev: true });
    expect(body.data).toHaveLength(1);
  });

  it('validates and creates a user, stripping unknown fields', async () => {
    const bad = await api().inject({ method: 'POST', url: '/users', payload: { name: 'x', email: 'nope' } });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().errors).sort()).toEqual(['email', 'name']);
    const ok = await api().inject({ method: 'POST', url: '/users', payload: { name: 'Grace', email: 'grace@example.com', isAdmin: true } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().data).toEqual({ id: 3, name: 'Grace', email: 'grace@example.com' });
    const dup = await api().inject({ method: 'POST', url: '/users', payload: { name: 'Grace', email: 'grace@example.com' } });
    expect(dup.json().code).toBe('DUPLICATE');
  });

  it('serves orders under the /api/v1 group with its middleware, and reports nested errors by path', async () => {
    const created = await api().inject({ method: 'POST', url: '/api/v1/users/1/orders', payload: { items: [{ sku: 'book', qty: 2 }] } });
    expect(created.statusCode).toBe(201);
    expect(created.headers['x-response-time']).toMatch(/ms$/);
    const bad = await api().inject({ method: 'POST', url: '/api/v1/users/1/orders', payload: { items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 0 }] } });
    expect(bad.json().meta.constraints).toEqual({ 'items[1].qty': ['min'] });
    const unknown = await api().inject({ method: 'POST', url: '/api/v1/users/99/orders', payload: { items: [{ sku: 'a', qty: 1 }] } });
    expect(unknown.statusCode).toBe(404);
  });

  it('keeps the user routes of the api app off the admin app, and vice versa', async () => {
    expect((await admin().inject('/users')).statusCode).toBe(404);
    expect((await api().inject('/stats')).statusCode).toBe(404);
    const stats = await admin().inject('/stats');
    expect(stats.json().data.users).toBeGreaterThanOrEqual(2);
  });
});

describe('sample: users-api middleware (admin app)', () => {
  let h: LokstraHandle;
  const log = captureLogger('info');
  const token = { 'x-admin-token': 'dev-admin-token' };
  beforeAll(async () => {
    delete process.env.ADMIN_TOKEN;
    h = await Lokstra.build(join(ROOT, 'lokstra.config.yaml'), { modules: [UsersApiModule], logger: log.logger });
  });
  afterAll(() => h.close());
  const admin = () => h.apps.find((a) => a.name === 'admin')!;

  it('echoes a request id, adds security headers and the api_version header, and logs one JSON line with the request id', async () => {
    const res = await admin().inject({ url: '/stats', headers: { 'x-request-id': 'sample-1' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers).toMatchObject({ 'x-request-id': 'sample-1', 'x-api-version': '1.2', 'x-content-type-options': 'nosniff' });
    await settle();
    expect(log.lines().filter((l) => l.message === 'request completed' && l.requestId === 'sample-1')).toEqual([
      expect.objectContaining({ level: 'info', route: '/stats', status: 200 }),
    ]);
  });

  it('guards /admin with the (ctx, next) admin_token middleware', async () => {
    expect((await admin().inject('/admin/users/export')).statusCode).toBe(401);
    expect((await admin().inject({ url: '/admin/users/export', headers: token })).statusCode).toBe(200);
  });

  it('answers a CORS preflight from the admin UI origin, and none from elsewhere', async () => {
    const ok = await admin().inject({ method: 'OPTIONS', url: '/admin/users/import', headers: { origin: 'https://ui.admin.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-admin-token, content-type' } });
    expect(ok.statusCode).toBe(204);
    expect(ok.headers).toMatchObject({ 'access-control-allow-origin': 'https://ui.admin.example.com', 'access-control-allow-credentials': 'true' });
    const evil = await admin().inject({ method: 'OPTIONS', url: '/admin/users/import', headers: { origin: 'https://admin.example.com.evil.net', 'access-control-request-method': 'POST' } });
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('imports users within body_limit, refuses a bigger body with 413, and gzips the export', async () => {
    const users = Array.from({ length: 200 }, (_, i) => ({ name: `Imported ${i}`, email: `imported${i}@example.com` }));
    const created = await admin().inject({ method: 'POST', url: '/admin/users/import', headers: token, payload: { users } });
    expect(created.statusCode).toBe(201);
    const many = Array.from({ length: 1200 }, (_, i) => ({ name: `Too many ${i}`, email: `toomany${i}@example.com` }));
    const tooBig = await admin().inject({ method: 'POST', url: '/admin/users/import', headers: token, payload: { users: many } });
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().code).toBe('PAYLOAD_TOO_LARGE');
    const exported = await admin().inject({ url: '/admin/users/export', headers: { ...token, 'accept-encoding': 'gzip' } });
    expect(exported.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(exported.rawPayload).toString('utf8')).data).toHaveLength(202);
  });
});

describe('sample: npm start', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`serves on PORT and exits 0 on ${signal}`, async () => {
      const [port, adminPort] = [await freePort(), await freePort()];
      const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'samples/users-api/main.ts'], {
        cwd: ROOT, env: { ...process.env, PORT: String(port), ADMIN_PORT: String(adminPort) }, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      try {
        // Generous: ts-node compiles the sample on start, and CI runs test files in parallel.
        const deadline = Date.now() + 45_000;
        let status = 0;
        while (Date.now() < deadline && child.exitCode === null) {
          status = await get(`http://127.0.0.1:${port}/health`).then((r) => r.status, () => 0);
          if (status === 200) break;
          await new Promise((r) => setTimeout(r, 200));
        }
        expect({ status, output: status === 200 ? '' : output }).toEqual({ status: 200, output: '' });
        expect((await get(`http://127.0.0.1:${adminPort}/stats`)).status).toBe(200);
        child.kill(signal);
        expect(await exited).toBe(0);
      } finally {
        // Never leave the process behind: a lingering child would keep Jest from exiting.
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    }, 90_000);
  }
});

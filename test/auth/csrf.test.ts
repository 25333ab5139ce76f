import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineModule, type Context, type LokstraHandle } from '../../src/index';
import { build, captureLogger } from './harness';

const csrfHandlers = defineModule({
  name: 'csrf-test-handlers',
  handlers: {
    token: (ctx: Context) => ctx.ok({ token: ctx.csrfToken() }),
    twice: (ctx: Context) => ctx.ok({ same: ctx.csrfToken() === ctx.csrfToken() }),
    submit: (ctx: Context) => ctx.ok({ saved: true }),
    plain: (ctx: Context) => ctx.ok({ csrf: (() => { try { return ctx.csrfToken(); } catch { return null; } })() }),
  },
});

function cookieOf(res: { headers: Record<string, unknown> }, name = '_csrf'): string | undefined {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw as string[] : raw === undefined ? [] : [String(raw)];
  return list.find((c) => c.startsWith(`${name}=`))?.split(';')[0];
}

describe('csrf', () => {
  let h: LokstraHandle;
  let web: string;
  beforeAll(async () => {
    web = mkdtempSync(join(tmpdir(), 'lokstra-csrf-'));
    mkdirSync(join(web, 'pages'), { recursive: true });
    mkdirSync(join(web, 'layouts'));
    writeFileSync(join(web, 'layouts', 'base.html'), '<html><head><meta charset="utf-8"></head><body class="app">{{{content}}}</body></html>');
    writeFileSync(join(web, 'pages', 'form.html'), '<form method="post" action="/submit"><input type="hidden" name="{{csrf_field}}" value="{{csrf_token}}"></form>');
    h = await build({
      server: { global_setting: { log_level: 'error' } },
      apps: [
        {
          name: 'web', address: ':0', middleware: ['csrf'],
          routes: [
            { method: 'GET', path: '/token', handler: 'token' },
            { method: 'GET', path: '/twice', handler: 'twice' },
            { method: 'POST', path: '/submit', handler: 'submit' },
            { method: 'GET', path: '/submit', handler: 'submit' },
            { method: 'DELETE', path: '/submit', handler: 'submit' },
          ],
          mount_htmx: [{ prefix: '/pages', sources: [web] }],
        },
        { name: 'other', address: ':0', routes: [{ method: 'GET', path: '/plain', handler: 'plain' }, { method: 'POST', path: '/plain', handler: 'plain' }] },
      ],
    } as never, captureLogger().logger, [csrfHandlers]);
  });
  afterAll(async () => {
    await h.close();
    rmSync(web, { recursive: true, force: true });
  });
  const app = () => h.apps[0]!;

  async function client(): Promise<{ cookie: string; token: string }> {
    const res = await app().inject('/token');
    const cookie = cookieOf(res) as string;
    expect(String(res.headers['set-cookie'])).toMatch(/HttpOnly/);
    expect(String(res.headers['set-cookie'])).toMatch(/SameSite=Strict/);
    return { cookie, token: JSON.parse(res.body).data.token as string };
  }

  it('accepts an unsafe request with the token in the header or the form field', async () => {
    const { cookie, token } = await client();
    const viaHeader = await app().inject({ method: 'POST', url: '/submit', headers: { cookie, 'x-csrf-token': token } });
    expect(viaHeader.statusCode).toBe(200);
    const viaForm = await app().inject({ method: 'POST', url: '/submit', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${encodeURIComponent(token)}&x=1` });
    expect(viaForm.statusCode).toBe(200);
    const viaJson = await app().inject({ method: 'DELETE', url: '/submit', headers: { cookie, 'content-type': 'application/json' }, payload: JSON.stringify({ _csrf: token }) });
    expect(viaJson.statusCode).toBe(200);
  });

  it('answers 403 CSRF_INVALID for a missing or mismatched token, or no secret cookie', async () => {
    const { cookie, token } = await client();
    const cases = [
      { cookie },
      { cookie, 'x-csrf-token': `${token.slice(0, -2)}xx` },
      { cookie, 'x-csrf-token': 'garbage' },
      { 'x-csrf-token': token },
      { cookie: '_csrf=attacker-secret', 'x-csrf-token': token },
    ];
    for (const headers of cases) {
      const res = await app().inject({ method: 'POST', url: '/submit', headers });
      expect(res.statusCode).toBe(403);
      expect(JSON.parse(res.body).code).toBe('CSRF_INVALID');
    }
  });

  it('refuses a token issued to another client (another secret cookie)', async () => {
    const alice = await client();
    const mallory = await client();
    const res = await app().inject({ method: 'POST', url: '/submit', headers: { cookie: alice.cookie, 'x-csrf-token': mallory.token } });
    expect(res.statusCode).toBe(403);
    expect(JSON.parse(res.body).code).toBe('CSRF_INVALID');
  });

  it('exempts safe methods', async () => {
    expect((await app().inject({ method: 'GET', url: '/submit' })).statusCode).toBe(200);
    expect((await app().inject({ method: 'HEAD', url: '/submit' })).statusCode).toBe(200);
  });

  it('gives one token per request to ctx.csrfToken() however often it is called', async () => {
    const res = await app().inject('/twice');
    expect(JSON.parse(res.body).data).toEqual({ same: true });
    expect([res.headers['set-cookie']].flat().filter((c) => String(c).startsWith('_csrf=')).length).toBe(1);
  });

  it('puts the token into HTMX pages (meta, hx-headers on body, {{csrf_token}}) and it verifies', async () => {
    const res = await app().inject('/pages/form');
    expect(res.statusCode).toBe(200);
    const cookie = cookieOf(res) as string;
    const meta = /<meta name="csrf-token" content="([^"]+)">/.exec(res.body)?.[1] as string;
    expect(meta).toBeDefined();
    expect(res.body).toContain('<meta name="csrf-header" content="x-csrf-token">');
    expect(res.body).toMatch(/<body class="app" hx-headers="\{&#34;x-csrf-token&#34;:&#34;[^&]+&#34;\}">/);
    const field = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1] as string;
    expect(field).toBe(meta);
    const post = await app().inject({ method: 'POST', url: '/submit', headers: { cookie, 'x-csrf-token': meta, 'hx-request': 'true' } });
    expect(post.statusCode).toBe(200);
  });

  it('leaves apps without csrf alone', async () => {
    const other = h.apps[1]!;
    expect((await other.inject({ method: 'POST', url: '/plain' })).statusCode).toBe(200);
    expect(JSON.parse((await other.inject('/plain')).body).data).toEqual({ csrf: null });
  });
});

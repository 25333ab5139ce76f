/**
 * Issue 12 (Low): the header helpers `ctx.redirect`, `ctx.hxRedirect`, `ctx.hxTrigger` and
 * `withHeader`. Non-Latin-1 values are encoded, CR/LF and other characters Node refuses are a 500
 * `INTERNAL_ERROR` envelope (a handler bug, logged) — never a hang or Fastify's raw error body — and
 * `redirect` refuses targets on another site unless `{ external: true }` (open redirect).
 * Requests go over raw sockets so the bytes of the response head are seen as sent.
 */
import 'reflect-metadata';
import { Lokstra, type Context, type LokstraHandle } from '../../src/index';
import { memoryLogger } from '../helpers/memory-logger';
import { installFaultHooks } from './helpers/guard';
import { rawGet, type RawResponse } from './helpers/raw-http';

const log = memoryLogger();
let h: LokstraHandle;
let port = 0;
installFaultHooks(() => (port ? `http://127.0.0.1:${port}/health/live` : undefined));

const q = (ctx: Context): string => String(ctx.query.to ?? '');

beforeAll(async () => {
  const lk = new Lokstra({ logger: log });
  const app = lk.app('api', '127.0.0.1:0');
  app.get('/go', (ctx) => ctx.redirect(q(ctx)));
  app.get('/go-external', (ctx) => ctx.redirect(q(ctx), 303, { external: true }));
  app.get('/go-options', (ctx) => ctx.redirect(q(ctx), { external: true }));
  app.get('/hx-go', (ctx) => ctx.hxRedirect(q(ctx)));
  app.get('/hx-go-external', (ctx) => ctx.hxRedirect(q(ctx), { external: true }));
  app.get('/trigger', (ctx) => ctx.hxTrigger(q(ctx)).htmx('<p>ok</p>'));
  app.get('/trigger-detail', (ctx) => ctx.hxTrigger('saved', { note: q(ctx) }).htmx('<p>ok</p>'));
  app.get('/header', (ctx) => ctx.ok(1).withHeader('x-note', q(ctx)));
  app.get('/header-before', (ctx) => ctx.withHeader('x-note', q(ctx)).ok(1));
  h = await lk.build({ services: [{ name: 'health', type: 'lokstra.health_check' }] } as never);
  await h.listen();
  port = Number(new URL(h.apps[0]?.url ?? '').port);
});
afterAll(() => h.close());

const send = (path: string, to: string): Promise<RawResponse> => rawGet(port, `${path}?to=${encodeURIComponent(to)}`, {}, { timeoutMs: 3000 });

function expectInternalEnvelope(res: RawResponse): void {
  expect(res.status).toBe(500);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(JSON.parse(res.text)).toEqual({ code: 'INTERNAL_ERROR', success: false, message: 'Internal server error' });
  expect(res.headers.location).toBeUndefined();
  expect(res.headers['hx-redirect']).toBeUndefined();
  expect(res.raw).not.toMatch(/evil|Set-Cookie: x=1/i);
}

describe('redirect: relative targets only unless { external: true }', () => {
  it.each([
    ['/login', '/login'],
    ['/a/b?x=1#top', '/a/b?x=1#top'],
    ['?page=2', '?page=2'],
    ['../up', '../up'],
    ['next', 'next'],
    ['/%2F%2Fevil.com', '/%2F%2Fevil.com'],
  ])('%j is kept as %j', async (to, location) => {
    const res = await send('/go', to);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(location);
    expect(res.body.length).toBe(0);
  });

  it.each([
    '//evil.com', '///evil.com', '/\\evil.com', '\\\\evil.com', '\\/evil.com', 'https://evil.com/', 'HTTP://evil.com',
    'http:evil.com', 'javascript:alert(1)', 'data:text/html,<script>1</script>', '/\t/evil.com',
    'https:/\\evil.com', '',
  ])('%j is refused with a 500 envelope (open redirect)', async (to) => {
    const mark = log.lines.length;
    expectInternalEnvelope(await send('/go', to));
    const line = log.lines.slice(mark).find((l) => l.message === 'request failed');
    expect((line?.meta?.error as { message?: string } | undefined)?.message).toMatch(/^response header location: /);
  });

  it('{ external: true } allows an absolute http(s) target, with or without a status', async () => {
    const res = await send('/go-external', 'https://accounts.example.com/x?y=1');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('https://accounts.example.com/x?y=1');
    expect((await send('/go-options', 'https://example.com/')).status).toBe(302);
  });

  it.each(['javascript:alert(1)', 'data:text/html,x', 'ftp://example.com/'])('{ external: true } still refuses %j', async (to) => {
    expectInternalEnvelope(await send('/go-external', to));
  });

  it('percent-encodes non-ASCII (UTF-8) and spaces instead of hanging the connection', async () => {
    const res = await send('/go', '/café/中 文?q=ü');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/caf%C3%A9/%E4%B8%AD%20%E6%96%87?q=%C3%BC');
  });

  it.each(['/a\r\nSet-Cookie: x=1', '/a\nSet-Cookie: x=1', '/a\rb', '/a\u0000b', '/a\u007fb'])('CR/LF/control in %j → 500 envelope, no injected header', async (to) => {
    expectInternalEnvelope(await send('/go', to));
    expectInternalEnvelope(await send('/go-external', to));
  });
});

describe('hxRedirect follows the same rules', () => {
  it('keeps a relative target and encodes non-ASCII', async () => {
    const res = await send('/hx-go', '/tableau/é');
    expect(res.status).toBe(200);
    expect(res.headers['hx-redirect']).toBe('/tableau/%C3%A9');
  });
  it.each(['//evil.com', 'https://evil.com', 'javascript:alert(1)', '/x\r\nSet-Cookie: x=1'])('refuses %j', async (to) => {
    expectInternalEnvelope(await send('/hx-go', to));
  });
  it('allows an external http(s) target with { external: true }', async () => {
    expect((await send('/hx-go-external', 'https://example.com/a')).headers['hx-redirect']).toBe('https://example.com/a');
  });
});

describe('hxTrigger encodes what a header cannot carry', () => {
  it('sends a plain ASCII event name as is', async () => {
    expect((await send('/trigger', 'saved')).headers['hx-trigger']).toBe('saved');
  });
  it('sends a non-ASCII event name as htmx JSON with \\u escapes (parses back to the same name)', async () => {
    const res = await send('/trigger', 'gespeichert-ü-中');
    expect(res.status).toBe(200);
    expect(res.headers['hx-trigger']).toMatch(/^[\x20-\x7e]+$/);
    expect(JSON.parse(res.headers['hx-trigger'] ?? '')).toEqual({ 'gespeichert-ü-中': null });
  });
  it('escapes non-ASCII and CR/LF inside the detail (JSON), so the header stays one line', async () => {
    const res = await send('/trigger-detail', 'Zoë 中\r\nSet-Cookie: x=1');
    expect(res.status).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['hx-trigger']).toMatch(/^[\x20-\x7e]+$/);
    expect(JSON.parse(res.headers['hx-trigger'] ?? '')).toEqual({ saved: { note: 'Zoë 中\r\nSet-Cookie: x=1' } });
  });
  it('refuses CR/LF in a bare event name with a 500 envelope', async () => {
    expectInternalEnvelope(await send('/trigger', 'saved\r\nSet-Cookie: x=1'));
  });
});

describe('withHeader refuses values Node cannot send, on the response and on ctx', () => {
  it.each(['/header', '/header-before'])('%s: CR/LF → 500 envelope, no injected header', async (path) => {
    const res = await send(path, 'a\r\nSet-Cookie: x=1');
    expectInternalEnvelope(res);
    expect(res.headers['set-cookie']).toBeUndefined();
  });
  it.each(['/header', '/header-before'])('%s: a non-Latin-1 value → 500 envelope instead of a hung connection', async (path) => {
    expectInternalEnvelope(await send(path, '中文'));
  });
  it('keeps ordinary and Latin-1 values', async () => {
    expect((await send('/header', 'plain value; x=1')).headers['x-note']).toBe('plain value; x=1');
    const latin1 = await send('/header', 'caf\u00e9');
    expect(latin1.status).toBe(200);
    expect(latin1.headers['x-note']).toMatch(/^caf/);
  });
});

import 'reflect-metadata';
import { Context, defineModule, type LokstraHandle } from '../../src/index';
import { build, captureLogger, linesWith, rawRequest, settle } from './harness';

describe('body_limit', () => {
  let h: LokstraHandle;
  let url: string;
  beforeAll(async () => {
    h = await build({
      apps: [{
        name: 'api', address: '127.0.0.1:0', middleware: [{ name: 'body_limit', config: { max_size: 100, skip_on_path: ['/upload/*', '/files/**'] } }],
        routes: [
          { method: 'POST', path: '/echo', handler: 'echo' }, { method: 'POST', path: '/upload/:id', handler: 'echo' },
          { method: 'POST', path: '/files/a/b', handler: 'echo' }, { method: 'GET', path: '/ok', handler: 'ok' },
          { method: 'POST', path: '/big', handler: 'echo', middleware: [{ name: 'body_limit', config: { max_size: '1kb' } }] },
        ],
        groups: [{ prefix: '/default', override_middleware: true, middleware: ['body_limit'], routes: [{ method: 'POST', path: '/echo', handler: 'echo' }] }],
      }],
      // max_string_length raised so the 5 MB single-string body below tests the byte limit, not the string cap.
      server: { global_setting: { body_limit: '2kb', max_string_length: 16 * 1024 * 1024 } },
    }, captureLogger().logger);
    await h.listen();
    url = h.apps[0]!.url as string;
  });
  afterAll(() => h.close());

  const bodyOf = (n: number): string => JSON.stringify({ t: 'x'.repeat(n - 8) });

  it('accepts a body of exactly max_size bytes', async () => {
    expect(bodyOf(100)).toHaveLength(100);
    const res = await h.apps[0]!.inject({ method: 'POST', url: '/echo', payload: bodyOf(100), headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(200);
  });

  it('answers 413 with an envelope at max_size + 1 bytes (Content-Length)', async () => {
    const res = await h.apps[0]!.inject({ method: 'POST', url: '/echo', payload: bodyOf(101), headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ code: 'PAYLOAD_TOO_LARGE', success: false, message: 'Payload too large' });
  });

  it('answers 413 to a chunked body over the limit, and keeps serving', async () => {
    const res = await rawRequest(`${url}/echo`, { headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, chunks: ['{"t":"', 'x'.repeat(60), 'y'.repeat(60), '"}'] });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const small = await rawRequest(`${url}/echo`, { headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, chunks: ['{"t":', '"ok"}'] });
    expect(small.status).toBe(200);
    expect(JSON.parse(small.body).data).toEqual({ t: 'ok' });
    expect((await rawRequest(`${url}/ok`, { method: 'GET' })).status).toBe(200);
  });

  it('counts bytes, not characters', async () => {
    const res = await h.apps[0]!.inject({ method: 'POST', url: '/echo', payload: JSON.stringify({ t: 'é'.repeat(47) }), headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(413);
  });

  it('lets skip_on_path routes fall back to global_setting.body_limit', async () => {
    for (const path of ['/upload/7', '/files/a/b']) {
      const ok = await h.apps[0]!.inject({ method: 'POST', url: path, payload: bodyOf(1500), headers: { 'content-type': 'application/json' } });
      expect(ok.statusCode).toBe(200);
      const over = await h.apps[0]!.inject({ method: 'POST', url: path, payload: bodyOf(2049), headers: { 'content-type': 'application/json' } });
      expect(over.statusCode).toBe(413);
    }
  });

  it('lets a route-level body_limit override the app-level one', async () => {
    expect((await h.apps[0]!.inject({ method: 'POST', url: '/big', payload: bodyOf(1024), headers: { 'content-type': 'application/json' } })).statusCode).toBe(200);
    expect((await h.apps[0]!.inject({ method: 'POST', url: '/big', payload: bodyOf(1025), headers: { 'content-type': 'application/json' } })).statusCode).toBe(413);
  });

  it('defaults max_size to 10mb', async () => {
    const nearly = await h.apps[0]!.inject({ method: 'POST', url: '/default/echo', payload: bodyOf(5 * 1024 * 1024), headers: { 'content-type': 'application/json' } });
    expect(nearly.statusCode).toBe(200);
    const over = await h.apps[0]!.inject({ method: 'POST', url: '/default/echo', payload: bodyOf(10 * 1024 * 1024 + 1), headers: { 'content-type': 'application/json' } });
    expect(over.statusCode).toBe(413);
  });
});

describe('timeout', () => {
  const seen: { aborted: boolean; finished: boolean }[] = [];
  const mod = defineModule({
    name: 'timeout-handlers',
    handlers: {
      sleepy: async (ctx: Context) => {
        const state = { aborted: false, finished: false };
        seen.push(state);
        ctx.signal.addEventListener('abort', () => { state.aborted = true; });
        await new Promise((r) => setTimeout(r, 150));
        state.finished = true;
        return ctx.ok('too late');
      },
      quick: async (ctx: Context) => { await new Promise((r) => setTimeout(r, 5)); return ctx.ok('in time'); },
    },
  });

  it('answers 503 at the deadline, aborts ctx.signal, drops the late result, and does not fire for fast handlers', async () => {
    const cap = captureLogger();
    const h = await build({
      apps: [{
        name: 'api', address: ':0', middleware: ['request_logger', { name: 'timeout', config: { duration: '50ms' } }],
        routes: [{ method: 'GET', path: '/sleepy', handler: 'sleepy' }, { method: 'GET', path: '/quick', handler: 'quick' }, { method: 'GET', path: '/off', handler: 'sleepy', middleware: [{ name: 'timeout', config: { duration: 0 } }] }],
      }],
    }, cap.logger, [mod]);
    try {
      const started = Date.now();
      const res = await h.apps[0]!.inject('/sleepy');
      expect(Date.now() - started).toBeLessThan(140);
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ code: 'SERVICE_UNAVAILABLE', success: false, message: 'Request timed out' });
      await new Promise((r) => setTimeout(r, 150));
      expect(seen[0]).toEqual({ aborted: true, finished: true });
      const quick = await h.apps[0]!.inject('/quick');
      expect(quick.statusCode).toBe(200);
      expect(quick.json().data).toBe('in time');
      expect((await h.apps[0]!.inject('/off')).statusCode).toBe(200);
      await settle();
      const lines = cap.lines();
      expect(lines.filter((l) => l.code === 'LKS_ERR_RESPONSE_ALREADY_SENT')).toEqual([]);
      expect(linesWith(lines, 'request completed').map((l) => l.status)).toEqual([503, 200, 200]);
    } finally {
      await h.close();
    }
  });
});

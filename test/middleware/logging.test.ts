import 'reflect-metadata';
import { Context, defineModule, type LokstraHandle } from '../../src/index';
import { build, captureLogger, linesWith, settle } from './harness';

const slow = defineModule({
  name: 'slow-handlers',
  handlers: {
    slow: async (ctx: Context) => { await new Promise((r) => setTimeout(r, 80)); return ctx.ok('late'); },
    logs: (ctx: Context) => { ctx.log.info('inside handler', { step: 1 }); return ctx.ok('logged'); },
    nonError: () => { throw 'a string, not an Error'; },
    secretEcho: (ctx: Context) => ctx.ok({ token: 'tok-123', user: 'ada' }),
  },
});

describe('recovery', () => {
  it('answers 500 with a generic message, logs error, stack and request id once, and keeps serving', async () => {
    const cap = captureLogger();
    const h = await build({ apps: [{ name: 'api', address: ':0', middleware: ['recovery'], routes: [{ method: 'GET', path: '/boom', handler: 'boom' }, { method: 'GET', path: '/ok', handler: 'ok' }] }] }, cap.logger);
    try {
      const res = await h.apps[0]!.inject({ url: '/boom', headers: { 'x-request-id': 'req-boom-1' } });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({ code: 'INTERNAL_ERROR', success: false, message: 'Internal server error' });
      expect(res.body).not.toContain('hunter2');
      const failed = linesWith(cap.lines(), 'request failed');
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ level: 'error', requestId: 'req-boom-1', route: '/boom', error: { name: 'Error' } });
      expect(String((failed[0]!.error as { stack: string }).stack)).toContain('Error: database');
      expect((await h.apps[0]!.inject('/ok')).statusCode).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('leaves the stack out with enable_stack_trace: false, and logs thrown non-Errors', async () => {
    const cap = captureLogger();
    const h = await build({
      apps: [{ name: 'api', address: ':0', middleware: [{ name: 'recovery', config: { enable_stack_trace: false } }], routes: [{ method: 'GET', path: '/boom', handler: 'boom' }, { method: 'GET', path: '/str', handler: 'nonError' }] }],
    }, cap.logger, [slow]);
    try {
      expect((await h.apps[0]!.inject('/boom')).statusCode).toBe(500);
      expect((await h.apps[0]!.inject('/str')).statusCode).toBe(500);
      const [first, second] = linesWith(cap.lines(), 'request failed');
      expect(first!.error).toEqual({ name: 'Error', message: expect.stringContaining('database') });
      expect(second!.error).toEqual({ value: 'a string, not an Error' });
    } finally {
      await h.close();
    }
  });
});

describe('request_id', () => {
  let h: LokstraHandle;
  const cap = captureLogger();
  beforeAll(async () => {
    h = await build({
      apps: [{
        name: 'api', address: ':0', middleware: ['request_id', { name: 'body_limit', config: { max_size: 10 } }],
        routes: [{ method: 'GET', path: '/ok', handler: 'ok' }, { method: 'POST', path: '/echo', handler: 'echo' }, { method: 'GET', path: '/logs', handler: 'logs' }],
        groups: [{ prefix: '/corr', middleware: [{ name: 'request_id', config: { header: 'X-Correlation-Id' } }], routes: [{ method: 'GET', path: '/ok', handler: 'ok' }] }],
      }],
    }, cap.logger, [slow]);
  });
  afterAll(() => h.close());

  it('generates an id, echoes it in x-request-id and gives it to ctx.requestId', async () => {
    const res = await h.apps[0]!.inject('/ok');
    expect(res.headers['x-request-id']).toMatch(/^[A-Za-z0-9_-]{12}-[0-9a-z]+$/);
    expect(res.json().data.id).toBe(res.headers['x-request-id']);
  });

  it('keeps a sane client id', async () => {
    const res = await h.apps[0]!.inject({ url: '/ok', headers: { 'x-request-id': 'client-id.42:a_b' } });
    expect(res.headers['x-request-id']).toBe('client-id.42:a_b');
    expect(res.json().data.id).toBe('client-id.42:a_b');
  });

  it('replaces a client id that is too long or has unsafe characters', async () => {
    for (const bad of ['x'.repeat(129), 'a b', 'evil\u001b[31m', 'a/b', '<script>']) {
      const res = await h.apps[0]!.inject({ url: '/ok', headers: { 'x-request-id': bad } });
      expect(res.headers['x-request-id']).not.toBe(bad);
      expect(res.headers['x-request-id']).toMatch(/^[A-Za-z0-9_-]{12}-[0-9a-z]+$/);
    }
    expect((await h.apps[0]!.inject({ url: '/ok', headers: { 'x-request-id': 'y'.repeat(128) } })).headers['x-request-id']).toBe('y'.repeat(128));
  });

  it('uses a configured header, in and out', async () => {
    const res = await h.apps[0]!.inject({ url: '/corr/ok', headers: { 'x-correlation-id': 'corr-7' } });
    expect(res.headers['x-correlation-id']).toBe('corr-7');
    expect(res.json().data.id).toBe('corr-7');
  });

  it('is on 404, 405, 413 and parse-error responses too', async () => {
    expect((await h.apps[0]!.inject('/missing')).headers['x-request-id']).toBeDefined();
    expect((await h.apps[0]!.inject({ method: 'DELETE', url: '/ok' })).headers['x-request-id']).toBeDefined();
    const big = await h.apps[0]!.inject({ method: 'POST', url: '/echo', payload: { long: 'more than ten bytes' } });
    expect(big.statusCode).toBe(413);
    expect(big.headers['x-request-id']).toBeDefined();
    const bad = await h.apps[0]!.inject({ method: 'POST', url: '/echo', payload: '{', headers: { 'content-type': 'application/json' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['x-request-id']).toBeDefined();
  });

  it('puts the request id on lines the handler logs through ctx.log', async () => {
    await h.apps[0]!.inject({ url: '/logs', headers: { 'x-request-id': 'trace-me' } });
    expect(linesWith(cap.lines(), 'inside handler')).toEqual([expect.objectContaining({ requestId: 'trace-me', step: 1 })]);
  });
});

describe('request_logger', () => {
  let h: LokstraHandle;
  const cap = captureLogger();
  beforeAll(async () => {
    h = await build({
      apps: [{
        name: 'api', address: ':0', middleware: ['request_id', 'request_logger', { name: 'body_limit', config: { max_size: 64 } }],
        routes: [
          { method: 'GET', path: '/users/:id', handler: 'ok' }, { method: 'GET', path: '/boom', handler: 'boom' },
          { method: 'POST', path: '/echo', handler: 'echo', accepts: ['json'] },
        ],
        groups: [{
          prefix: '/full',
          middleware: [
            { name: 'request_logger', config: { include_request_body: true, include_response_body: true, include_headers: true } },
            { name: 'body_limit', config: { max_size: '1mb' } },
          ],
          routes: [{ method: 'POST', path: '/echo', handler: 'echo' }, { method: 'GET', path: '/secret', handler: 'secretEcho' }],
        }],
      }],
    }, cap.logger, [slow]);
  });
  afterAll(() => h.close());

  async function lineFor(requestId: string, inject: Parameters<LokstraHandle['apps'][number]['inject']>[0]): Promise<Record<string, unknown>> {
    const opts = typeof inject === 'string' ? { url: inject } : inject;
    await h.apps[0]!.inject({ ...opts, headers: { ...(opts.headers ?? {}), 'x-request-id': requestId } });
    await settle();
    const found = linesWith(cap.lines(), 'request completed').filter((l) => l.requestId === requestId);
    expect(found).toHaveLength(1);
    return found[0]!;
  }

  it('writes one JSON line per request with method, route template, status, duration and request id, at info for 2xx', async () => {
    const line = await lineFor('rl-1', '/users/42?page=2');
    expect(line).toMatchObject({ level: 'info', method: 'GET', route: '/users/:id', url: '/users/42?page=2', status: 200, requestId: 'rl-1' });
    expect(typeof line.durationMs).toBe('number');
    expect(line.headers).toBeUndefined();
    expect(line.requestBody).toBeUndefined();
  });

  it('logs 4xx at warn and 5xx at error', async () => {
    expect(await lineFor('rl-404', '/nowhere')).toMatchObject({ level: 'warn', status: 404, route: null });
    expect(await lineFor('rl-405', { method: 'PUT', url: '/boom' })).toMatchObject({ level: 'warn', status: 405 });
    expect(await lineFor('rl-500', '/boom')).toMatchObject({ level: 'error', status: 500, route: '/boom' });
  });

  it('logs 413, 415 and parse errors, which never reach the handler', async () => {
    expect(await lineFor('rl-413', { method: 'POST', url: '/echo', payload: { text: 'x'.repeat(100) } })).toMatchObject({ status: 413, route: '/echo' });
    expect(await lineFor('rl-415', { method: 'POST', url: '/echo', payload: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).toMatchObject({ status: 415 });
    expect(await lineFor('rl-400', { method: 'POST', url: '/echo', payload: '{"a":', headers: { 'content-type': 'application/json' } })).toMatchObject({ status: 400 });
  });

  it('redacts authorization, cookie, x-api-key and secret-named headers, body fields and query parameters', async () => {
    const line = await lineFor('rl-secret', {
      method: 'POST', url: '/full/echo?token=abc123&page=1',
      headers: { authorization: 'Bearer s3cr3t-bearer', cookie: 'sid=s3cr3t-cookie', 'x-api-key': 's3cr3t-key', 'x-auth-token': 's3cr3t-token', 'x-tenant': 'acme' },
      payload: { user: 'ada', password: 's3cr3t-pw', nested: { apiKey: 's3cr3t-nested', list: [{ clientSecret: 's3cr3t-list' }] } },
    });
    const headers = line.headers as Record<string, string>;
    expect(headers).toMatchObject({ authorization: '[REDACTED]', cookie: '[REDACTED]', 'x-api-key': '[REDACTED]', 'x-auth-token': '[REDACTED]', 'x-tenant': 'acme' });
    expect(line.requestBody).toEqual({ user: 'ada', password: '[REDACTED]', nested: { apiKey: '[REDACTED]', list: [{ clientSecret: '[REDACTED]' }] } });
    expect(line.url).toBe('/full/echo?token=[REDACTED]&page=1');
    expect(cap.raw()).not.toMatch(/s3cr3t|abc123/);
  });

  it('logs the response body with secret fields redacted', async () => {
    const line = await lineFor('rl-resp', '/full/secret');
    expect(line.responseBody).toEqual({ code: 'OK', success: true, data: { token: '[REDACTED]', user: 'ada' } });
  });

  it('escapes CR, LF and ANSI escapes so that no value can forge a log line', async () => {
    const before = cap.raw().split('\n').length;
    await h.apps[0]!.inject({
      method: 'POST', url: '/full/echo?q=%0d%0a{"level":"error","message":"forged"}',
      headers: { 'x-request-id': 'rl-crlf', 'user-agent': 'curl\u001b[31m', 'x-note': 'ok' },
      payload: { note: 'line1\r\n{"level":"error","message":"forged"}\u001b[2J' },
    });
    await settle();
    const raw = cap.raw();
    const lines = raw.split('\n').filter((l) => l !== '');
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
    expect(linesWith(cap.lines(), 'forged')).toEqual([]);
    const line = linesWith(cap.lines(), 'request completed').find((l) => l.requestId === 'rl-crlf')!;
    expect(String(line.userAgent)).toBe('curl\\u001b[31m');
    for (const c of ['\r', '\n', '\u001b']) expect(String((line.requestBody as { note: string }).note)).not.toContain(c);
    expect(String((line.requestBody as { note: string }).note)).toContain('\\u000d\\u000a');
    expect(raw.split('\n').length - before).toBe(1);
  });

  it('survives a hostile, deeply nested body (400, one line)', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const line = await lineFor('rl-deep', { method: 'POST', url: '/full/echo', payload: deep, headers: { 'content-type': 'application/json' } });
    expect(line.status).toBe(400);
  });
});

describe('slow_request_logger', () => {
  it('logs a request slower than threshold once, with its route template; fast ones not at all', async () => {
    const cap = captureLogger();
    const h = await build({
      apps: [{
        name: 'api', address: ':0', middleware: [{ name: 'slow_request_logger', config: { threshold: '50ms' } }],
        routes: [{ method: 'GET', path: '/slow/:n', handler: 'slow' }, { method: 'GET', path: '/fast', handler: 'ok' }],
      }],
    }, cap.logger, [slow]);
    try {
      await h.apps[0]!.inject({ url: '/slow/1', headers: { 'x-request-id': 'slow-1' } });
      await h.apps[0]!.inject('/fast');
      await settle();
      const lines = linesWith(cap.lines(), 'slow request');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 'warn', route: '/slow/:n', method: 'GET', status: 200, requestId: 'slow-1', thresholdMs: 50 });
      expect(lines[0]!.durationMs as number).toBeGreaterThanOrEqual(50);
    } finally {
      await h.close();
    }
  });

  it('defaults to a 500ms threshold', async () => {
    const cap = captureLogger();
    const h = await build({ apps: [{ name: 'api', address: ':0', middleware: ['slow_request_logger'], routes: [{ method: 'GET', path: '/slow', handler: 'slow' }] }] }, cap.logger, [slow]);
    try {
      await h.apps[0]!.inject('/slow');
      await settle();
      expect(linesWith(cap.lines(), 'slow request')).toEqual([]);
    } finally {
      await h.close();
    }
  });
});

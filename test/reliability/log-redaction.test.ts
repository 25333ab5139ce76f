/**
 * Issue 12 (Low): secrets inside error messages and stacks — DSN passwords, `api_key=`, `token=`,
 * `password=`, bearer credentials, JWTs — never reach a log line, whatever path wrote it: the
 * listener's "request failed" line (message and stack), `ctx.log`, a thrown non-Error, and
 * Fastify's own warnings through its logger. Redaction happens at the sink (the winston logger
 * Lokstra builds), so the test reads exactly the bytes written, in both log formats.
 */
import 'reflect-metadata';
import type { FastifyInstance } from 'fastify';
import { createLogger, Lokstra, type LokstraHandle } from '../../src/index';
import { redactSecretsInText } from '../../src/internal/redact-text';
import { installFaultHooks } from './helpers/guard';
import { LogCapture } from './helpers/app';
import { memoryLogger } from '../helpers/memory-logger';
import { rawGet } from './helpers/raw-http';

const S = (n: number): string => `Sup3rS3cret${n}xyz`;
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlc2lnbmF0dXJl';

function secretError(): Error {
  const err = new Error(`connect to postgres://app:${S(1)}@db.internal:5432/shop failed (api_key=${S(2)}&token=${S(3)})`);
  err.stack = `${err.stack ?? ''}\n    at connect (redis://:${S(4)}@cache:6379) password=${S(5)} secret: '${S(6)}' Authorization: Bearer ${S(7)}`;
  return err;
}

describe.each(['json', 'text'] as const)('secrets in messages and stacks are redacted (log_format %s)', (format) => {
  const logs = new LogCapture();
  let h: LokstraHandle;
  let port = 0;
  let fastify: FastifyInstance | undefined;
  installFaultHooks(() => (port ? `http://127.0.0.1:${port}/health/live` : undefined));

  beforeAll(async () => {
    const lk = new Lokstra({
      logger: createLogger({ level: 'debug', stream: logs, format }),
      onFastify: (f) => { fastify = f; },
    });
    const app = lk.app('api', '127.0.0.1:0');
    app.get('/fail', () => { throw secretError(); });
    app.get('/fail-string', () => { throw `client_secret=${S(8)} session ${JWT}`; });
    app.get('/log', (ctx) => {
      ctx.log.warn(`retrying with mysql://root:${S(9)}@10.0.0.1/db`, { dsn: `postgres://u:${S(10)}@h/d`, apiKey: S(11), detail: { error: secretError() } });
      return ctx.ok(1);
    });
    h = await lk.build({ services: [{ name: 'health', type: 'lokstra.health_check' }] } as never);
    await h.listen();
    port = Number(new URL(h.apps[0]?.url ?? '').port);
  });
  afterAll(() => h.close());

  it('writes no secret from handler errors, ctx.log lines or Fastify warnings', async () => {
    const mark = logs.lines.length;
    expect((await rawGet(port, '/fail')).status).toBe(500);
    expect((await rawGet(port, '/fail-string')).status).toBe(500);
    expect((await rawGet(port, '/log')).status).toBe(200);
    fastify?.log.warn({ req: { method: 'GET', url: `/cb?access_token=${S(12)}` } }, `upstream https://bot:${S(13)}@hooks.example.com said no`);
    fastify?.log.error(secretError());
    await new Promise((r) => setTimeout(r, 50));
    const text = logs.lines.slice(mark).join('\n');
    for (let n = 1; n <= 13; n++) expect(text).not.toContain(S(n));
    expect(text).not.toContain(JWT);
    expect(text).toContain('[REDACTED]');
    // What helps debugging stays: user, host, the message around the secret.
    expect(text).toContain('postgres://app:[REDACTED]@db.internal:5432/shop failed');
    expect(text).toContain('hooks.example.com said no');
  });
});

describe('a logger passed in by the user still gets Lokstra\'s error lines and Fastify\'s lines redacted', () => {
  const log = memoryLogger();
  let h: LokstraHandle;
  let port = 0;
  let fastify: FastifyInstance | undefined;
  installFaultHooks(() => (port ? `http://127.0.0.1:${port}/health/live` : undefined));
  beforeAll(async () => {
    const lk = new Lokstra({ logger: log, onFastify: (f) => { fastify = f; } });
    lk.app('api', '127.0.0.1:0').get('/fail', () => { throw secretError(); }).get('/fail-string', () => { throw `token=${S(8)}`; });
    h = await lk.build({ services: [{ name: 'health', type: 'lokstra.health_check' }] } as never);
    await h.listen();
    port = Number(new URL(h.apps[0]?.url ?? '').port);
  });
  afterAll(() => h.close());

  it('request failed lines (message, stack, thrown strings) and Fastify warnings', async () => {
    const mark = log.lines.length;
    expect((await rawGet(port, '/fail')).status).toBe(500);
    expect((await rawGet(port, '/fail-string')).status).toBe(500);
    fastify?.log.warn({ req: { method: 'GET', url: `/cb?access_token=${S(12)}` } }, `upstream https://bot:${S(13)}@hooks.example.com said no`);
    const text = JSON.stringify(log.lines.slice(mark));
    expect(text).toContain('request failed');
    expect(text).toContain('hooks.example.com said no');
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 12, 13]) expect(text).not.toContain(S(n));
  });
});

describe('redactSecretsInText', () => {
  it.each([
    ['postgres://user:pa55@host/db', 'postgres://user:[REDACTED]@host/db'],
    ['redis://:pa55@cache:6379', 'redis://:[REDACTED]@cache:6379'],
    ['GET /x?api_key=k1&page=2&token=t1', 'GET /x?api_key=[REDACTED]&page=2&token=[REDACTED]'],
    ['host=db password=hunter2 user=app', 'host=db password=[REDACTED] user=app'],
    ["{ password: 'two words', user: 'al' }", "{ password: '[REDACTED]', user: 'al' }"],
    ['{"clientSecret":"a\\"b","id":1}', '{"clientSecret":"[REDACTED]","id":1}'],
    ['Authorization: Bearer abcdefgh12345', 'Authorization: Bearer [REDACTED]'],
    ['sent Bearer abcdefgh12345 upstream', 'sent Bearer [REDACTED] upstream'],
    ['Basic dXNlcjpwYXNz', 'Basic [REDACTED]'],
    ['/login?password=[REDACTED]&x=1', '/login?password=[REDACTED]&x=1'],
    ['{"token":"[REDACTED]"}', '{"token":"[REDACTED]"}'],
    [`jwt ${JWT} end`, 'jwt [REDACTED] end'],
  ])('%j → %j', (input, output) => {
    expect(redactSecretsInText(input)).toBe(output);
  });

  it.each(['Unexpected end of JSON input', 'route GET /users/:id failed', 'listening on http://127.0.0.1:3000', 'Basic authentication failed', 'at Object.<anonymous> (/app/src/users.ts:12:5)'])('leaves %j alone', (input) => {
    expect(redactSecretsInText(input)).toBe(input);
  });

  it('stays linear on long hostile input', () => {
    const started = Date.now();
    redactSecretsInText(`${'a'.repeat(200_000)}=${'b'.repeat(200_000)}`);
    redactSecretsInText(`${'x:'.repeat(100_000)}//`);
    redactSecretsInText(`${'ab://'.repeat(50_000)}`);
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

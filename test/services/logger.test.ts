import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import fastify, { type FastifyBaseLogger } from 'fastify';
import { createLogger, Lokstra, LokstraError, toFastifyLogger, type Logger, type LoggerService } from '../../src/index';
import { capturingLogger } from './helpers/quiet';

function sink(): { stream: Writable; text: () => string } {
  let out = '';
  return { stream: new Writable({ write: (c: Buffer, _e, done) => { out += c.toString(); done(); } }), text: () => out };
}

/** A Logger that records calls, and how many winston children were created. */
function recorder(level = 'info'): Logger & { level: string; calls: [string, string, Record<string, unknown> | undefined][]; children: Record<string, unknown>[] } {
  const calls: [string, string, Record<string, unknown> | undefined][] = [];
  const children: Record<string, unknown>[] = [];
  const make = (fields: Record<string, unknown>): Logger => ({
    error: (m, meta) => calls.push(['error', m, { ...fields, ...meta }]),
    warn: (m, meta) => calls.push(['warn', m, { ...fields, ...meta }]),
    info: (m, meta) => calls.push(['info', m, { ...fields, ...meta }]),
    debug: (m, meta) => calls.push(['debug', m, { ...fields, ...meta }]),
    child: (f) => {
      children.push(f);
      return make({ ...fields, ...f });
    },
  });
  return Object.assign(make({}), { level, calls, children });
}

describe('createLogger', () => {
  it('writes one JSON object per entry with level, message, timestamp and fields; children carry their fields', () => {
    const out = sink();
    const log = createLogger({ level: 'info', stream: out.stream });
    log.debug('hidden');
    log.child({ requestId: 'r1' }).info('created', { id: 7 });
    const lines = out.text().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', message: 'created', requestId: 'r1', id: 7 });
    expect(typeof lines[0]!.timestamp).toBe('string');
  });

  it('writes text lines: timestamp, LEVEL, message, fields as JSON', () => {
    const out = sink();
    createLogger({ format: 'text', stream: out.stream }).warn('disk low', { free: 1 });
    expect(out.text()).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z WARN disk low \{"free":1\}\n$/);
  });

  it.each(['json', 'text'] as const)('keeps every entry on one line in %s: CR/LF, ESC, C1 controls and U+2028/9 are escaped', (format) => {
    const out = sink();
    const hostile = 'a\r\n{"level":"error","message":"forged"}\u001b[31m\u0085\u2028\u2029';
    const log = createLogger({ format, stream: out.stream });
    log.error(hostile, { field: hostile });
    log.error('boom', { error: new Error(hostile) });
    const lines = out.text().split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    // eslint-disable-next-line no-control-regex
    for (const line of lines) expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    if (format === 'json') expect((JSON.parse(lines[0]!) as { message: string; field: string })).toMatchObject({ message: hostile, field: hostile });
    else expect(lines[0]).toContain('a\\u000d\\u000a{"level":"error","message":"forged"}\\u001b[31m\\u0085\\u2028\\u2029');
  });

  it('writes to stderr when asked', () => {
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      createLogger({ output: 'stderr' }).error('to stderr');
      expect(spy.mock.calls.map((c) => String(c[0])).join('')).toContain('"message":"to stderr"');
    } finally {
      spy.mockRestore();
    }
  });
});

describe('lokstra.logger service', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'lokstra-log-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is built from YAML (validated by the schema), writes a file and closes it at shutdown', async () => {
    const file = join(dir, 'app.log');
    writeFileSync(join(dir, 'lokstra.config.yaml'), [
      'services:',
      '  - name: log',
      '    type: logger',
      `    config: { level: debug, format: text, output: file, file: ${JSON.stringify(file)} }`,
      'apps: []',
    ].join('\n'));
    const h = await Lokstra.build(join(dir, 'lokstra.config.yaml'));
    const log = h.getService<LoggerService>('log');
    expect(log.level).toBe('debug');
    log.debug('first', { n: 1 });
    log.child({ requestId: 'abc' }).info('second');
    log.level = 'warn';
    log.info('dropped');
    expect(log.isLevelEnabled('warn')).toBe(true);
    await h.close();
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/ DEBUG first \{"n":1\}$/);
    expect(lines[1]).toMatch(/ INFO second \{"requestId":"abc"\}$/);
  });

  it('rejects bad config from YAML (schema) and from code (factory) with the key path', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'services:\n  - { name: log, type: lokstra.logger, config: { level: loud } }\n');
    const fromYaml = await Lokstra.build(join(dir, 'bad.yaml')).catch((e: unknown) => e);
    expect(LokstraError.is(fromYaml) && fromYaml.code).toBe('LKS_ERR_CONFIG_INVALID');
    expect((fromYaml as Error).message).toContain('services[0].config.level');
    for (const [config, key] of [[{ level: 'loud' }, 'level'], [{ output: 'file' }, 'file'], [{ format: 'xml' }, 'format']] as const) {
      const err = await Lokstra.build({ services: [{ name: 'log', type: 'lokstra.logger', config }], apps: [] }).catch((e: unknown) => e);
      expect(LokstraError.is(err) && err.code).toBe('LKS_ERR_CONFIG_INVALID');
      expect((err as Error).message).toContain(`services.log.config.${key}`);
    }
  });
});

describe('toFastifyLogger', () => {
  it('is pino-shaped and takes its level from the logger', () => {
    const adapter = toFastifyLogger(recorder('debug'));
    for (const m of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent', 'child'] as const) expect(typeof adapter[m]).toBe('function');
    expect(adapter.level).toBe('debug');
    expect(toFastifyLogger(recorder('silly')).level).toBe('trace');
    expect(toFastifyLogger(createLogger({ level: 'warn' })).level).toBe('warn');
    expect(toFastifyLogger(recorder(), { level: 'error' }).level).toBe('error');
    expect(() => { adapter.level = 'loud' as never; }).toThrow(/unknown log level/);
  });

  it('maps pino call shapes to message and fields', () => {
    const target = recorder('trace');
    const log = toFastifyLogger(target, { level: 'trace' });
    log.info('plain');
    log.info('with %s and %d', 'format', 42);
    log.warn({ userId: 1 }, 'with fields');
    const err = new TypeError('bad');
    log.error(err);
    log.error(err, 'failed to %s', 'save');
    log.info({ req: { method: 'GET', url: '/x', ip: '1.2.3.4', headers: { cookie: 'secret' }, raw: {} } }, 'incoming request');
    log.info({ res: { statusCode: 201, raw: {} }, responseTime: 3 }, 'request completed');
    log.fatal('dying');
    log.trace('fine detail');
    expect(target.calls.map(([level, message]) => [level, message])).toEqual([
      ['info', 'plain'], ['info', 'with format and 42'], ['warn', 'with fields'], ['error', 'bad'], ['error', 'failed to save'],
      ['info', 'incoming request'], ['info', 'request completed'], ['error', 'dying'], ['debug', 'fine detail'],
    ]);
    expect(target.calls[2]![2]).toEqual({ userId: 1 });
    expect(target.calls[3]![2]).toMatchObject({ err: { type: 'TypeError', message: 'bad' } });
    expect(target.calls[5]![2]).toEqual({ req: { method: 'GET', url: '/x', host: undefined, remoteAddress: '1.2.3.4' } });
    expect(target.calls[6]![2]).toEqual({ res: { statusCode: 201 }, responseTime: 3 });
    expect(target.calls[7]![2]).toEqual({ fatal: true });
    expect(target.calls[8]![2]).toEqual({ trace: true });
  });

  it('drops lines below its level without touching the logger', () => {
    const target = recorder();
    const log = toFastifyLogger(target, { level: 'warn' });
    log.info('no');
    log.debug({ big: 'object' }, 'no');
    log.trace('no');
    log.warn('yes');
    expect(target.calls.map((c) => c[1])).toEqual(['yes']);
  });

  it('creates the winston child only when a child first writes, with reqId logged as requestId', () => {
    const target = recorder();
    const log = toFastifyLogger(target, { level: 'info' });
    const quiet = log.child({ reqId: 'r-1' });
    quiet.debug('below the level');
    expect(target.children).toEqual([]);
    const child = log.child({ reqId: 'r-2' }).child({ plugin: 'x' });
    expect(target.children).toEqual([]);
    child.info('hello');
    child.info('again');
    expect(target.children).toEqual([{ requestId: 'r-2' }, { plugin: 'x' }]);
    expect(target.calls).toEqual([['info', 'hello', { requestId: 'r-2', plugin: 'x' }], ['info', 'again', { requestId: 'r-2', plugin: 'x' }]]);
    expect(log.child({}, { level: 'error' }).level).toBe('error');
    const silent = toFastifyLogger(target, { level: 'silent' });
    expect(silent.child({ reqId: 'r-3' })).toBe(silent);
  });

  it('is accepted by Fastify as loggerInstance: every line of a request carries its request id', async () => {
    const { logger, lines } = capturingLogger('info');
    // Typed as Fastify's logger without a cast (a compile-time check).
    const loggerInstance: FastifyBaseLogger = toFastifyLogger(logger);
    const app = fastify({ loggerInstance, genReqId: () => 'req-42' });
    app.get('/x', async (req) => {
      req.log.info('inside handler');
      return { ok: true };
    });
    const res = await app.inject('/x');
    await app.close();
    expect(res.statusCode).toBe(200);
    const ofRequest = lines.filter((l) => l.requestId !== undefined);
    expect(ofRequest.map((l) => l.message)).toEqual(['incoming request', 'inside handler', 'request completed']);
    expect(ofRequest.every((l) => l.requestId === 'req-42')).toBe(true);
    expect(ofRequest[2]).toMatchObject({ res: { statusCode: 200 } });
  });
});

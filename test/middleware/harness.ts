import 'reflect-metadata';
import { PassThrough } from 'node:stream';
import { request as httpRequest } from 'node:http';
import { createLogger, defineModule, Lokstra, type Context, type LokstraHandle, type Logger, type ModuleRef } from '../../src/index';
import type { LokstraConfig } from '../../src/config/index';

/** A winston JSON logger writing to memory; `lines()` parses every line written so far (each must be one JSON object). */
export function captureLogger(level: 'debug' | 'info' = 'debug'): { logger: Logger; raw: () => string; lines: () => Record<string, unknown>[] } {
  const stream = new PassThrough();
  let raw = '';
  stream.on('data', (c: Buffer) => { raw += c.toString('utf8'); });
  const logger = createLogger({ level, format: 'json', stream });
  return {
    logger,
    raw: () => raw,
    lines: () => raw.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** Lines with a given message. */
export function linesWith(lines: Record<string, unknown>[], message: string): Record<string, unknown>[] {
  return lines.filter((l) => l.message === message);
}

/** Waits for log lines written after a response (onResponse hooks run after the reply ends). */
export async function settle(ms = 20): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/** Named handlers the middleware tests route to. */
export const handlers = defineModule({
  name: 'mw-test-handlers',
  handlers: {
    ok: (ctx: Context) => ctx.ok({ id: ctx.requestId }),
    echo: (ctx: Context) => ctx.ok(ctx.body ?? null),
    boom: () => { throw new Error('database password=hunter2 at /srv/app.js'); },
    big: () => ({ items: Array.from({ length: 1500 }, (_, i) => ({ i, name: `item-${i}`, text: 'lorem ipsum dolor sit amet' })) }),
  },
});

/** Builds a deployment from a config object with the test handlers and the given logger. */
export async function build(config: LokstraConfig, logger: Logger, modules: ModuleRef[] = []): Promise<LokstraHandle> {
  return Lokstra.build(config, { modules: [handlers, ...modules], logger });
}

/** A raw HTTP request over a real socket (for chunked bodies); resolves with status, headers and body. */
export function rawRequest(url: string, opts: { method?: string; headers?: Record<string, string>; chunks?: (string | Buffer)[] }): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: opts.method ?? 'POST', headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    for (const c of opts.chunks ?? []) req.write(c);
    req.end();
  });
}

import 'reflect-metadata';
import { createServer } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import { LokstraError, type Logger, type MiddlewareFn } from '../../../src/index';

/** One captured log line. */
export interface LogLine {
  level: string;
  message: string;
  meta: Record<string, unknown> | undefined;
}

/** A logger that keeps its lines in memory (tests must not print, and may inspect what was logged). */
export function memoryLogger(lines: LogLine[] = []): Logger & { lines: LogLine[] } {
  const make = (fields: Record<string, unknown>): Logger & { lines: LogLine[] } => {
    const log = (level: string) => (message: string, meta?: Record<string, unknown>): void => {
      lines.push({ level, message, meta: { ...fields, ...meta } });
    };
    return {
      lines,
      error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug'),
      child: (more) => make({ ...fields, ...more }),
    };
  };
  return make({});
}

/** Parses a response body as JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function body(res: LightMyRequestResponse): any {
  return JSON.parse(res.body);
}

/** A TCP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Awaits a promise that must reject with a LokstraError carrying `code`; returns the error. */
export async function expectBootError(promise: Promise<unknown>, code: string): Promise<LokstraError> {
  let caught: unknown;
  try {
    const handle = await promise;
    await (handle as { close?: () => Promise<void> } | undefined)?.close?.();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeDefined();
  expect(LokstraError.is(caught)).toBe(true);
  expect((caught as LokstraError).code).toBe(code);
  return caught as LokstraError;
}

const TRAIL = 'routing-test.trail';

/** The list of middleware tags recorded for the current request. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function trailOf(ctx: any): string[] {
  let list = ctx.get(TRAIL) as string[] | undefined;
  if (list === undefined) {
    list = [];
    ctx.set(TRAIL, list);
  }
  return list;
}

/** A middleware factory that appends `config.tag ?? fallback` to the request's trail. */
export function recorder(fallback: string): (config: Record<string, unknown>) => MiddlewareFn {
  return (config) => async (ctx, next) => {
    trailOf(ctx).push(typeof config.tag === 'string' ? config.tag : fallback);
    return next();
  };
}

/** An inline middleware that appends `tag` to the request's trail. */
export function inlineRecorder(tag: string): MiddlewareFn {
  return async (ctx, next) => {
    trailOf(ctx).push(tag);
    return next();
  };
}

/** A handler that returns the trail recorded so far. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const trailHandler = (ctx: any): unknown => ctx.ok(trailOf(ctx));

import 'reflect-metadata';
import type { LightMyRequestResponse } from 'fastify';
import { LokstraError, type MiddlewareFn } from '../../../src/index';

export { memoryLogger, type LogLine } from '../../helpers/memory-logger';

/** Parses a response body as JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function body(res: LightMyRequestResponse): any {
  return JSON.parse(res.body);
}

export { freePort } from '../../helpers/net';

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

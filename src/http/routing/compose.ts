import type { MiddlewareFn } from '../../metadata/types';
import type { Context } from '../context';
import { Response } from '../response/response';
import { resultToResponse } from '../response/to-response';

/** The innermost step of a route: runs the handler and maps its result to a Response. */
export type Terminal<C> = (ctx: C) => Response | Promise<Response>;

/**
 * Composes `(ctx, next)` middleware around a terminal, Koa-style: `next()` resolves to the Response
 * about to be sent (a middleware may change or replace it); errors propagate outward. Built once per route.
 */
export function compose<C extends Context>(middleware: readonly MiddlewareFn[], terminal: Terminal<C>): Terminal<C> {
  if (middleware.length === 0) return terminal;
  return (ctx) => {
    const dispatch = async (i: number): Promise<Response> => {
      if (i === middleware.length) return terminal(ctx);
      let downstream: Promise<Response> | undefined;
      const next = (): Promise<Response> => (downstream ??= dispatch(i + 1));
      const result = await (middleware[i] as MiddlewareFn)(ctx, next);
      if (Response.is(result)) return result;
      if (result === undefined && downstream !== undefined) return downstream;
      return resultToResponse(result);
    };
    return dispatch(0);
  };
}

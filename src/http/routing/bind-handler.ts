import type { Class } from '../../internal/types';

const BOUND = Symbol.for('lokstra.bound-handler');

/** A plain function whose DTO is named explicitly (functions carry no type metadata). */
export interface BoundHandler {
  readonly [BOUND]: true;
  readonly dto: Class;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly fn: (ctx: any, req: any) => unknown;
}

/**
 * An auto-bind handler: the DTO is bound from all sources and validated before `fn` runs.
 * @example
 * app.get('/users/:id', bind(UserRequest, (ctx, req) => ctx.ok(users.find(req.id))));
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function bind<T>(dto: Class<T>, fn: (ctx: any, req: T) => unknown): BoundHandler {
  return { [BOUND]: true, dto, fn };
}

/** True for a handler made by {@link bind}. */
export function isBoundHandler(value: unknown): value is BoundHandler {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BOUND] === true;
}

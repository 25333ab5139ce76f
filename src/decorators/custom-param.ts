import { metadata } from '../metadata/store';
import type { RequestContext } from '../metadata/types';

/**
 * Makes a parameter decorator whose value `resolve(ctx, data)` computes per request (it may be
 * async: the handler runs once it settles; a throw — e.g. an `HttpError` — answers the request).
 * The decorator takes an optional `data` argument passed to `resolve`.
 * @example
 * export const CurrentUser = createParamDecorator((ctx: Context, field?: string) => {
 *   const user = ctx.get<User>('user');
 *   return field === undefined ? user : user?.[field];
 * });
 * // @Get('/me') me(@CurrentUser() user: User, @CurrentUser('id') id: string) {}
 */
export function createParamDecorator<T, D = undefined>(
  resolve: (ctx: RequestContext, data: D | undefined) => T | Promise<T>,
): (data?: D) => ParameterDecorator {
  return (data?: D) => (target, propertyKey, index) => {
    if (propertyKey === undefined) {
      throw new TypeError(`a custom parameter decorator on the constructor of ${(target as { name?: string }).name ?? '?'}: use it on handler method parameters`);
    }
    metadata.addParam(target, propertyKey, { index, kind: 'custom', resolve: resolve as (ctx: RequestContext, data: unknown) => unknown, data });
  };
}

import { HttpError, type Context, type MiddlewareFn } from 'lokstra';

/** `admin_token` middleware: requires `Authorization: Bearer <config.token>`. */
export function adminToken(config: Record<string, unknown>): MiddlewareFn {
  const expected = `Bearer ${String(config.token)}`;
  return (ctx: Context, next) => {
    if (ctx.headers.authorization !== expected) throw HttpError.unauthorized('admin token required');
    return next();
  };
}

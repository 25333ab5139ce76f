import { parseDuration } from '../config/units';
import type { FastifyMiddleware } from './types';

/**
 * `timeout`: the route's Fastify `handlerTimeout` (`duration`). When it fires the client gets a 503
 * envelope, `ctx.signal` is aborted, and whatever the handler returns later is dropped (never sent
 * twice). `duration: 0` turns it off.
 */
export const timeout: FastifyMiddleware = {
  build(config) {
    const ms = parseDuration(config.duration) ?? 0;
    return ms > 0 ? { options: { handlerTimeout: Math.max(1, Math.round(ms)) } } : {};
  },
};

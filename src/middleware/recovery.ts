import { ERROR_LOG, type ErrorLogPolicy } from '../http/route-fastify';
import type { FastifyMiddleware } from './types';

/**
 * `recovery`: thrown errors and rejections always become a 500 envelope with a generic message and
 * are logged once with the request id (SPEC §5.3); this middleware decides how: `enable_stack_trace`
 * (default true) puts the stack in that log line. Never sent to the client.
 */
export const recovery: FastifyMiddleware = {
  build(config) {
    const policy: ErrorLogPolicy = { stack: config.enable_stack_trace !== false };
    return { options: { config: { [ERROR_LOG]: policy } } };
  },
};

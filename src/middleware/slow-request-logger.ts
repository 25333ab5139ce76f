import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { parseDuration } from '../config/units';
import { redactUrl } from './log-safety';
import { routeOf } from './request-logger';
import type { FastifyMiddleware } from './types';

/** `slow_request_logger`: one warn line for each request slower than `threshold` (default 500ms), with its route template. */
export const slowRequestLogger: FastifyMiddleware = {
  build(config, env) {
    const thresholdMs = parseDuration(config.threshold ?? '500ms') ?? 500;
    return (route) => ({
      hooks: {
        onResponse: (req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
          const durationMs = reply.elapsedTime;
          if (durationMs >= thresholdMs) {
            env.logger.warn('slow request', {
              requestId: req.id, method: req.method, route: routeOf(route, req), url: redactUrl(req.url), status: reply.statusCode,
              durationMs: Math.round(durationMs * 100) / 100, thresholdMs,
            });
          }
          done();
        },
      },
    });
  },
};

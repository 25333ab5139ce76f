import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { isSafeRequestId } from '../internal/request-id';
import type { FastifyMiddleware } from './types';

/**
 * `request_id`: echoes the request id (`ctx.requestId`) in a response header, `x-request-id` by
 * default. A client's id is accepted only when ≤ 128 characters of `[A-Za-z0-9._:-]`, else one is
 * generated (the listener does this for `x-request-id`; a custom `header` is read here).
 */
export const requestId: FastifyMiddleware = {
  build(config) {
    const header = typeof config.header === 'string' ? config.header.toLowerCase() : 'x-request-id';
    // The header is set in onSend so that replies sent from hooks (CORS preflights, 413s) carry it too.
    const onSend = (req: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, p: unknown) => void): void => {
      reply.header(header, req.id);
      done(null, payload);
    };
    if (header === 'x-request-id') return { hooks: { onSend } };
    const onRequest = (req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
      const given = req.headers[header];
      if (isSafeRequestId(given)) req.id = given;
      done();
    };
    return { hooks: { onRequest, onSend } };
  },
};

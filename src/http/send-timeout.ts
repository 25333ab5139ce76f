import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fastifyKey } from './request-signal';

// Fastify keeps a route's handler timer (`handlerTimeout`) running until the response has been
// written completely, so a download still streaming at the deadline was destroyed mid-body.
const timerOf = (req: FastifyRequest): symbol | undefined => fastifyKey(req, 'fastify.request.timeoutTimer');

/**
 * Timeouts of the response phase, installed on a listener:
 * - once a response starts (`onSend`: the handler has answered), the route's handler timeout no
 *   longer applies — a long download, a proxied stream or `ctx.stream()` is never cut while the
 *   client keeps reading;
 * - from then on the connection is cut when no byte moves for `sendTimeout` ms (a client that
 *   stopped reading, a stalled stream); 0 turns that off. A progressing response resets it with
 *   every write. Before the response, headers/request timeouts apply; after it, keep-alive.
 */
export function installSendTimeout(fastify: FastifyInstance, sendTimeout: number): void {
  fastify.addHook('onSend', (req: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, payload: unknown) => void) => {
    const timer = timerOf(req);
    if (timer !== undefined) {
      clearTimeout((req as unknown as Record<symbol, NodeJS.Timeout | null>)[timer] ?? undefined);
      (req as unknown as Record<symbol, unknown>)[timer] = null;
    }
    // inject() (HTMX page data, tests) has a mock socket without setTimeout.
    if (sendTimeout > 0 && typeof reply.raw.socket?.setTimeout === 'function') reply.raw.socket.setTimeout(sendTimeout);
    done(null, payload);
  });
}

import type { FastifyReply } from 'fastify';
import { mergeVary } from '../../internal/vary';
import type { Response } from './response';
import type { ResponseSerializer } from './serializer';

/**
 * Writes a Response to Fastify's reply. Nothing is written if the reply was already sent. With a
 * route's `@Returns` serialiser, success bodies are serialised first (a failure throws before the
 * status or headers are touched, and becomes a 500).
 */
export function sendResponse(reply: FastifyReply, res: Response, serializer?: ResponseSerializer): FastifyReply | undefined {
  if (res.kind === 'handled') return reply;
  if (reply.sent) return undefined;
  const text = serializer?.serialize(res);
  reply.code(res.status);
  if (res.headers !== undefined) {
    const prior = reply.getHeader('vary');
    reply.headers(res.headers);
    // Hooks (CORS's `Vary: Origin`) may have set Vary already: merge, never overwrite.
    if (res.headers.vary !== undefined) reply.header('vary', mergeVary(prior, res.headers.vary));
  }
  switch (res.kind) {
    case 'envelope':
      if (text !== undefined) return reply.type('application/json; charset=utf-8').send(text);
      return reply.send(res.toEnvelope());
    case 'json':
      if (text !== undefined) return reply.type('application/json; charset=utf-8').send(text);
      // JSON.stringify even for strings, so `ctx.json('x')` sends `"x"`, not a bare word.
      if (res.data === undefined) return reply.send();
      reply.type('application/json; charset=utf-8');
      return reply.send(JSON.stringify(res.data));
    case 'raw':
      if (res.contentType !== undefined) reply.type(res.contentType);
      return reply.send(res.payload);
    default:
      return reply.send();
  }
}

import type { FastifyReply } from 'fastify';
import type { Response } from './response';

/** Writes a Response to Fastify's reply. Nothing is written if the reply was already sent. */
export function sendResponse(reply: FastifyReply, res: Response): FastifyReply | undefined {
  if (res.kind === 'handled') return reply;
  if (reply.sent) return undefined;
  reply.code(res.status);
  if (res.headers !== undefined) reply.headers(res.headers);
  switch (res.kind) {
    case 'envelope':
      return reply.send(res.toEnvelope());
    case 'raw':
      if (res.contentType !== undefined) reply.type(res.contentType);
      return reply.send(res.payload);
    default:
      return reply.send();
  }
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { contentKind } from './body-parsers';
import { Response } from './response/response';
import { sendResponse } from './response/send';

/**
 * Route config key of routes that take their body raw, unparsed (reverse-proxy routes): a body in
 * any `Content-Encoding` is theirs to forward, so the Content-Encoding guard skips them.
 */
export const RAW_BODY_ROUTE = Symbol.for('lokstra.raw-body-route');

/** Why a request head is refused before routing-level work: a second `Host` header (400). */
export function duplicateHostProblem(rawHeaders: readonly string[]): string | undefined {
  let hosts = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if ((rawHeaders[i] as string).toLowerCase() === 'host' && ++hosts > 1) return 'Duplicate Host header';
  return undefined;
}

/**
 * True when a request carries a body in a `Content-Encoding` Lokstra's parsers would have to
 * decode (anything but `identity`) and in a media type they parse (JSON, forms, or none — read as
 * JSON). Other media types are answered 415 by the parsers anyway; reverse-proxy routes
 * ({@link RAW_BODY_ROUTE}) forward any body unparsed.
 */
export function undecodedBody(headers: FastifyRequest['headers']): boolean {
  const encoding = headers['content-encoding'];
  if (encoding === undefined) return false;
  const codings = String(encoding).split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '');
  if (codings.every((c) => c === 'identity')) return false;
  const hasBody = headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');
  if (!hasBody) return false;
  const kind = contentKind(headers['content-type']);
  return kind === undefined || kind === 'json' || kind === 'form';
}

/**
 * Registers the listener-wide request checks, ahead of every other hook: a second `Host` header
 * is a 400 `BAD_REQUEST` (Node keeps the first, a proxy in front may have used the other), and a
 * body with a `Content-Encoding` Lokstra does not decode (gzip, br, deflate… — the `compression`
 * middleware only encodes responses) is a 415 `UNSUPPORTED_MEDIA_TYPE` before it is read.
 */
export function registerRequestGuards(app: FastifyInstance): void {
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const refusal = refusalFor(req);
    if (refusal === undefined) return;
    // The body is never read: the connection cannot be reused.
    reply.header('connection', 'close');
    sendResponse(reply, refusal);
    return reply;
  });
}

const ENCODED_BODY = 'Content-Encoding of request bodies is not supported: send the body uncompressed (identity)';

function refusalFor(req: FastifyRequest): Response | undefined {
  const problem = duplicateHostProblem(req.raw.rawHeaders);
  if (problem !== undefined) return Response.error(400, problem, 'BAD_REQUEST');
  if (!undecodedBody(req.headers)) return undefined;
  const config = req.routeOptions.config as unknown as Record<PropertyKey, unknown> | undefined;
  return config?.[RAW_BODY_ROUTE] === true ? undefined : Response.error(415, ENCODED_BODY, 'UNSUPPORTED_MEDIA_TYPE');
}

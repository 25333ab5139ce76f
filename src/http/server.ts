import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Settings } from '../config/settings';
import { isSafeRequestId } from '../internal/request-id';
import { toFastifyLogger } from '../services/fastify-logger';
import type { Logger } from '../services/logger';
import { parseQueryString } from './request-line';
import { Response } from './response/response';
import { genericMessage } from './response/to-response';

// Generated ids are a random per-process prefix plus a counter: unique across processes and
// restarts like a UUID, without 16 random bytes per request (SPEC-2 §1, "computed at boot").
const ID_PREFIX = randomBytes(9).toString('base64url');
let idCounter = 0;

// A client's x-request-id is kept only when short and of a safe charset (it ends up in logs).
function requestId(req: { headers: Record<string, string | string[] | undefined> }): string {
  const given = req.headers['x-request-id'];
  if (isSafeRequestId(given)) return given;
  idCounter = idCounter >= Number.MAX_SAFE_INTEGER ? 1 : idCounter + 1;
  return `${ID_PREFIX}-${idCounter.toString(36)}`;
}

/** Answers Fastify's framework errors (bad URL…) that happen before routing. */
export type FrameworkErrorHandler = (err: Error, req: FastifyRequest, reply: FastifyReply) => void;

/**
 * The Fastify instance of one listener, with Lokstra's server settings (limits, timeouts, logger,
 * request ids, poisoning protection) and raw-socket answers for connection-level errors.
 */
export function createServer(s: Settings, logger: Logger, frameworkErrors: FrameworkErrorHandler): FastifyInstance {
  return fastify({
    // Fastify and its plugins log their warnings and errors through the deployment's logger.
    // Request lines are the request_logger middleware's job and Lokstra logs "listening on"
    // itself, so Fastify's own info lines are left out.
    loggerInstance: toFastifyLogger(logger, { level: 'warn' }) as unknown as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: s.ignoreTrailingSlash, maxParamLength: s.maxParamLength, querystringParser: parseQueryString },
    bodyLimit: s.bodyLimit,
    requestTimeout: s.requestTimeout,
    keepAliveTimeout: s.keepAliveTimeout,
    handlerTimeout: s.handlerTimeout || undefined,
    // Node checks headers/request timeouts only every connectionsCheckingInterval (30 s by default),
    // so a slowloris client would outlive a 1 s headers_timeout by ~30 s; check often enough.
    http: {
      maxHeaderSize: s.maxHeaderSize, headersTimeout: s.headersTimeout,
      connectionsCheckingInterval: Math.min(1000, Math.max(100, Math.floor(Math.min(s.headersTimeout, s.requestTimeout) / 2))),
    } as never,
    trustProxy: s.trustProxy as boolean,
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    requestIdHeader: false,
    genReqId: requestId,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    frameworkErrors,
    clientErrorHandler: clientError,
  }) as unknown as FastifyInstance;
}

// Malformed request lines, oversized heads, slow clients: an envelope written on the socket, then closed.
function clientError(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const body = JSON.stringify(Response.error(status, genericMessage(status)).toEnvelope());
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${genericMessage(status)}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}

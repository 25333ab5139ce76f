import { Readable } from 'node:stream';
import { HttpError, defaultCodeFor } from '../../errors/http-error';
import { Response } from './response';

const GENERIC_MESSAGES: Record<number, string> = {
  400: 'Bad request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not found', 405: 'Method not allowed',
  406: 'Not acceptable', 408: 'Request timeout', 409: 'Conflict', 411: 'Length required',
  413: 'Payload too large', 414: 'URI too long', 415: 'Unsupported media type', 429: 'Too many requests',
  431: 'Request header fields too large', 500: 'Internal server error', 502: 'Bad gateway',
  503: 'Service unavailable', 504: 'Gateway timeout',
};

/** The generic, safe message for a status. */
export function genericMessage(status: number): string {
  return GENERIC_MESSAGES[status] ?? (status >= 500 ? 'Internal server error' : 'Request error');
}

// Fastify's own client errors whose message is safe and more useful than the generic one.
const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'Malformed JSON body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'Empty JSON body',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Unsupported media type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length does not match the body',
  FST_ERR_CTP_BODY_TOO_LARGE: 'Payload too large',
  FST_ERR_BAD_URL: 'Malformed URL',
  FST_ERR_HANDLER_TIMEOUT: 'Request timed out',
};

/** A function that maps infrastructure errors (e.g. pg) to a Response or HttpError; `undefined` = not mine. */
export type ErrorMapper = (error: unknown) => Response | HttpError | undefined;

/** Maps a handler's return value to a Response: `undefined` → 204, Buffer/stream → raw, else `ok`. */
export function resultToResponse(result: unknown): Response {
  if (Response.is(result)) return result;
  if (result === undefined) {
    const res = new Response<never>(204, 'NO_CONTENT');
    res.kind = 'empty';
    return res;
  }
  if (Buffer.isBuffer(result) || result instanceof Readable) {
    const res = new Response<never>(200, 'RAW');
    res.kind = 'raw';
    res.payload = result;
    res.contentType = 'application/octet-stream';
    return res;
  }
  return new Response(200, 'OK', result);
}

/**
 * Maps any thrown value to a Response. HttpError keeps its status and code; errors raised by Fastify's
 * own lifecycle (`fromFramework`: parsing, limits, timeouts) keep their status with a safe message;
 * anything else — including user errors that merely carry a `statusCode` — is a generic 500.
 */
export function errorToResponse(error: unknown, mappers: readonly ErrorMapper[] = [], fromFramework = false): { response: Response; isInternal: boolean } {
  if (Response.is(error)) return { response: error, isInternal: false };
  if (HttpError.is(error)) {
    const res = Response.error(error.status, error.message, error.code, error.errors);
    if (error.meta) res.withMeta(error.meta);
    if (error.headers) for (const [k, v] of Object.entries(error.headers)) res.withHeader(k, v);
    // 503 is an expected, mapped condition (a pool timeout, a dependency down), not an internal failure.
    return { response: res, isInternal: error.status >= 500 && error.status !== 503 };
  }
  for (const mapper of mappers) {
    const mapped: unknown = mapper(error);
    if (Response.is(mapped)) return { response: mapped, isInternal: mapped.status >= 500 && mapped.status !== 503 };
    if (HttpError.is(mapped)) return errorToResponse(mapped);
  }
  const status = fromFramework ? knownStatus(error) : undefined;
  if (status !== undefined) {
    const code = (error as { code?: unknown }).code;
    const message = (typeof code === 'string' && FASTIFY_MESSAGES[code]) || genericMessage(status);
    return { response: Response.error(status, message, defaultCodeFor(status)), isInternal: status >= 500 && status !== 503 };
  }
  return { response: Response.error(500, genericMessage(500), 'INTERNAL_ERROR'), isInternal: true };
}

// Client errors (4xx) from any library keep their status; 5xx only from Fastify itself (e.g. its
// handler timeout → 503), since other libraries' 5xx say nothing safe about the cause.
function knownStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { statusCode: status, code } = error as { statusCode?: unknown; code?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 599) return undefined;
  if (status >= 500 && !(typeof code === 'string' && code.startsWith('FST_ERR_'))) return undefined;
  return status;
}

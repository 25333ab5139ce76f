const BRAND = Symbol.for('lokstra.http_error');

/** Field path → messages, as in the envelope's `errors`. */
export type FieldErrors = Record<string, string[]>;

/** Options of an {@link HttpError}. */
export interface HttpErrorOptions {
  code?: string;
  errors?: FieldErrors;
  meta?: Record<string, unknown>;
  headers?: Record<string, string>;
  cause?: unknown;
}

const DEFAULT_CODES: Record<number, string> = {
  400: 'BAD_REQUEST', 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED', 408: 'REQUEST_TIMEOUT', 409: 'CONFLICT', 413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG', 415: 'UNSUPPORTED_MEDIA_TYPE', 422: 'UNPROCESSABLE_ENTITY',
  429: 'TOO_MANY_REQUESTS', 431: 'HEADERS_TOO_LARGE', 500: 'INTERNAL_ERROR', 501: 'NOT_IMPLEMENTED',
  502: 'BAD_GATEWAY', 503: 'SERVICE_UNAVAILABLE', 504: 'GATEWAY_TIMEOUT',
};

/** The envelope code Lokstra uses for an HTTP status when none is given. */
export function defaultCodeFor(status: number): string {
  return DEFAULT_CODES[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'ERROR');
}

/**
 * An error a handler throws to answer with an error envelope; the status is kept.
 * @example
 * throw HttpError.notFound(`user ${id} not found`);
 * throw new HttpError(422, 'cannot ship', { code: 'NOT_SHIPPABLE' });
 */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: FieldErrors | undefined;
  readonly meta: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;
  readonly [BRAND] = true;

  constructor(status: number, message: string, options: HttpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HttpError';
    this.status = status;
    this.code = options.code ?? defaultCodeFor(status);
    this.errors = options.errors;
    this.meta = options.meta;
    this.headers = options.headers;
  }

  /** True for an HttpError from any copy of the package. */
  static is(value: unknown): value is HttpError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  static badRequest(message = 'Bad request', errors?: FieldErrors): HttpError {
    return new HttpError(400, message, errors ? { errors } : {});
  }
  static validation(message: string, errors: FieldErrors, constraints?: FieldErrors): HttpError {
    return new HttpError(400, message, { code: 'VALIDATION_ERROR', errors, ...(constraints ? { meta: { constraints } } : {}) });
  }
  static unauthorized(message = 'Unauthorized', scheme?: string): HttpError {
    return new HttpError(401, message, scheme ? { headers: { 'www-authenticate': scheme } } : {});
  }
  static forbidden(message = 'Forbidden'): HttpError {
    return new HttpError(403, message);
  }
  static notFound(message = 'Not found'): HttpError {
    return new HttpError(404, message);
  }
  static conflict(message = 'Conflict'): HttpError {
    return new HttpError(409, message);
  }
  static duplicate(message = 'Duplicate'): HttpError {
    return new HttpError(409, message, { code: 'DUPLICATE' });
  }
  static tooManyRequests(message = 'Too many requests', retryAfterSeconds = 1): HttpError {
    return new HttpError(429, message, { headers: { 'retry-after': String(retryAfterSeconds) } });
  }
  static internal(message = 'Internal server error'): HttpError {
    return new HttpError(500, message);
  }
  static serviceUnavailable(message = 'Service unavailable', retryAfterSeconds?: number): HttpError {
    return new HttpError(503, message, retryAfterSeconds === undefined ? {} : { headers: { 'retry-after': String(retryAfterSeconds) } });
  }
}

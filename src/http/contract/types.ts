import type { FastifyRequest } from 'fastify';
import type { FieldErrors } from '../../errors/http-error';

/** Where an error came from, as the error formatter sees it. */
export type ErrorKind =
  /** Binding or class-validator failed (`fields`, `constraints` set). */
  | 'validation'
  /** An `HttpError` thrown, or an error `Response` returned, by a handler or middleware. */
  | 'http'
  /** Fastify's own lifecycle or Lokstra's routing: malformed body (400), unmatched route (404), 405, 413, 415, timeouts. */
  | 'framework'
  /** An unexpected error: always 500 with a generic message; the details are only in the logs. */
  | 'internal';

/**
 * Every error of a scope as one object, handed to the scope's error formatter.
 * `message` is always safe to send (for `internal` errors it is the generic message).
 */
export interface NormalizedError {
  kind: ErrorKind;
  /** The status Lokstra would answer with (after `validation_status`). */
  status: number;
  /** Lokstra's envelope code: `VALIDATION_ERROR`, `NOT_FOUND`, `METHOD_NOT_ALLOWED`, `INTERNAL_ERROR`… */
  code: string;
  message: string;
  /** Validation: field path (`items[2].qty`) → messages. */
  fields: FieldErrors | undefined;
  /** Validation: field path → failed constraint names (`isEmail`, `isDefined`…). */
  constraints: FieldErrors | undefined;
  /** Headers Lokstra sends with this error (`allow`, `retry-after`, `www-authenticate`); kept unless the formatter overrides them. */
  headers: Record<string, string>;
  /** The envelope `meta` of the error, if any. */
  meta: Record<string, unknown> | undefined;
  /** The thrown value, for classification only: never send its message (it may hold internals). */
  cause: unknown;
}

/** The request an error belongs to (there may be no route: a 404, a malformed URL). */
export interface ErrorContext {
  readonly request: FastifyRequest;
  readonly requestId: string;
  readonly method: string;
  readonly url: string;
  /** The app whose scope formats the error. */
  readonly app: string | undefined;
  /** The matched route pattern, when one matched. */
  readonly route: string | undefined;
}

/** What an error formatter answers: the status, extra headers and the body (JSON-serialised unless a string/Buffer with a content-type header). */
export interface FormattedError {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * Shapes every error of an app or group (`error_format:` in YAML, `router.errorFormat(fn)` in code).
 * @example
 * const conduitErrors: ErrorFormatter = (e) => ({ status: e.status, body: { errors: e.fields ?? { body: [e.message] } } });
 */
export type ErrorFormatter = (error: NormalizedError, ctx: ErrorContext) => FormattedError;

/** How a route (or an unmatched request under a prefix) shapes its responses, resolved at boot. */
export interface ResponseScope {
  /** `false`: successful envelope responses are sent as their plain `data` JSON. */
  readonly envelope: boolean;
  readonly formatter: ErrorFormatter | undefined;
  /** Status of `VALIDATION_ERROR` responses (default 400). */
  readonly validationStatus: number | undefined;
  /** The app the scope belongs to. */
  readonly app: string | undefined;
  /** Where the formatter was declared, for logs. */
  readonly source: string;
}

/** The scope of routes that change nothing: Lokstra's envelope, default statuses. */
export const DEFAULT_SCOPE: ResponseScope = Object.freeze({ envelope: true, formatter: undefined, validationStatus: undefined, app: undefined, source: 'default' });

/** Scope options a router level (app, group) or a route may set; `undefined` inherits. */
export interface ScopeOptions {
  envelope?: boolean | undefined;
  errorFormat?: ErrorFormatter | string | undefined;
  validationStatus?: number | undefined;
}

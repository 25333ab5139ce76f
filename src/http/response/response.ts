import type { Readable } from 'node:stream';
import { defaultCodeFor, type FieldErrors } from '../../errors/http-error';
import { mergeVary } from '../../internal/vary';
import { checkHeader } from './header-values';

const BRAND = Symbol.for('lokstra.response');

/** The JSON envelope every Lokstra response carries, keys in this order. */
export interface Envelope<T = unknown> {
  code: string;
  success: boolean;
  message?: string;
  data?: T;
  meta?: Record<string, unknown>;
  errors?: FieldErrors;
}

/**
 * How a response is sent: an `envelope`, no body (`empty`), a `raw` payload with its content type,
 * plain `json` of `data` (no envelope: `ctx.json`, `envelope: false`, error formatters), a
 * `redirect`, or `handled` (the handler sent it through `ctx.reply`).
 */
export type ResponseKind = 'envelope' | 'empty' | 'raw' | 'json' | 'redirect' | 'handled';

/**
 * What a handler returns: status, envelope fields and headers, all chainable.
 * @example
 * return ctx.ok(user).withMessage('found').withHeader('x-cache', 'miss');
 */
export class Response<T = unknown> {
  readonly [BRAND] = true;
  /** HTTP status. Middleware may read and change it (`withStatus` keeps `success` in step). */
  status: number;
  /** Envelope `code` (`OK`, `CREATED`, `VALIDATION_ERROR`…). */
  code: string;
  /** `status < 400`. */
  success: boolean;
  message: string | undefined;
  /** Envelope `data`; the body itself for `json` responses. */
  data: T | undefined;
  meta: Record<string, unknown> | undefined;
  /** Field path → messages, on validation errors. */
  errors: FieldErrors | undefined;
  /** Response headers, names lower-case; `undefined` when none was set. */
  headers: Record<string, string> | undefined;
  /** How the response is sent; see {@link ResponseKind}. */
  kind: ResponseKind = 'envelope';
  /** Payload of raw responses (string, Buffer or stream). */
  payload: string | Buffer | Readable | undefined;
  /** Content type of raw responses. */
  contentType: string | undefined;

  constructor(status: number, code: string, data?: T, message?: string) {
    this.status = status;
    this.code = code;
    this.success = status < 400;
    this.data = data;
    this.message = message;
    this.meta = undefined;
    this.errors = undefined;
    this.headers = undefined;
  }

  /** True for a Response from any copy of the package. */
  static is(value: unknown): value is Response {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  /**
   * Marks the reply as taken over by the handler (e.g. `ctx.reply.sendFile(…)` streaming): Lokstra
   * sends nothing more.
   */
  static handled(): Response<never> {
    const res = new Response<never>(200, 'HANDLED');
    res.kind = 'handled';
    return res;
  }

  /** An error envelope with the default code for `status` unless one is given. */
  static error(status: number, message: string, code = defaultCodeFor(status), errors?: FieldErrors): Response<never> {
    const res = new Response<never>(status, code, undefined, message);
    res.errors = errors;
    return res;
  }

  withMessage(message: string): this {
    this.message = message;
    return this;
  }
  withCode(code: string): this {
    this.code = code;
    return this;
  }
  withStatus(status: number): this {
    this.status = status;
    this.success = status < 400;
    return this;
  }
  withData(data: T): this {
    this.data = data;
    return this;
  }
  /** Merges into `meta`. */
  withMeta(meta: Record<string, unknown>): this {
    this.meta = this.meta ? { ...this.meta, ...meta } : meta;
    return this;
  }
  withErrors(errors: FieldErrors): this {
    this.errors = errors;
    return this;
  }
  /**
   * Sets a header; `vary` is merged with what is already there, never overwritten. CR, LF, NUL or a
   * non-Latin-1 character in the value throws `LKS_ERR_RESPONSE_HEADER_INVALID` (→ 500 envelope).
   */
  withHeader(name: string, value: string): this {
    const key = name.toLowerCase();
    const headers = (this.headers ??= {});
    checkHeader(name, value);
    headers[key] = key === 'vary' ? mergeVary(headers[key], value) : value;
    return this;
  }

  /** The envelope object, keys in contract order, `undefined` omitted and `null` kept. */
  toEnvelope(): Envelope<T> {
    const out: Envelope<T> = { code: this.code, success: this.success };
    if (this.message !== undefined) out.message = this.message;
    if (this.data !== undefined) out.data = this.data;
    if (this.meta !== undefined) out.meta = this.meta;
    if (this.errors !== undefined) out.errors = this.errors;
    return out;
  }
}

/** Pagination input of `okPagination`. */
export interface PaginationInput {
  page: number;
  pageSize: number;
  total: number;
}

/** `meta.pagination` computed from page, page size and total. */
export function paginationMeta({ page, pageSize, total }: PaginationInput): Record<string, unknown> {
  const totalPages = pageSize > 0 ? Math.ceil(total / pageSize) : 0;
  return { pagination: { page, pageSize, total, totalPages, hasNext: page < totalPages, hasPrev: page > 1 } };
}

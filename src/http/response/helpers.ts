import type { Readable } from 'node:stream';
import type { FieldErrors } from '../../errors/http-error';
import { mergeVary } from '../../internal/vary';
import { paginationMeta, Response, type PaginationInput } from './response';
import { checkHeader, hxTriggerValue, redirectTarget, type RedirectOptions } from './header-values';

interface Pending {
  message?: string;
  code?: string;
  status?: number;
  meta?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/**
 * The response helpers of `Context`. `with*` called on the context before a helper applies to the
 * response that helper makes, so chaining works in both orders.
 */
export class ResponseHelpers {
  private pending: Pending | undefined;

  withMessage(message: string): this {
    (this.pending ??= {}).message = message;
    return this;
  }
  withCode(code: string): this {
    (this.pending ??= {}).code = code;
    return this;
  }
  withStatus(status: number): this {
    (this.pending ??= {}).status = status;
    return this;
  }
  withMeta(meta: Record<string, unknown>): this {
    const p = (this.pending ??= {});
    p.meta = { ...p.meta, ...meta };
    return this;
  }
  withHeader(name: string, value: string): this {
    const key = name.toLowerCase();
    const headers = ((this.pending ??= {}).headers ??= {});
    checkHeader(name, value);
    headers[key] = key === 'vary' ? mergeVary(headers[key], value) : value;
    return this;
  }

  /**
   * @internal Applies `with*` values set on the context to the response about to be sent, so
   * `ctx.withHeader('x', '1'); return user;` keeps the header.
   */
  applyPending<T>(res: Response<T>): Response<T> {
    return this.make(res);
  }

  private make<T>(res: Response<T>): Response<T> {
    const p = this.pending;
    if (p === undefined) return res;
    this.pending = undefined;
    if (p.message !== undefined) res.message = p.message;
    if (p.code !== undefined) res.code = p.code;
    if (p.status !== undefined) res.withStatus(p.status);
    if (p.meta !== undefined) res.withMeta(p.meta);
    if (p.headers !== undefined) for (const [k, v] of Object.entries(p.headers)) res.withHeader(k, v);
    return res;
  }

  /** 200 `OK` with data. */
  ok<T>(data: T): Response<T> {
    return this.make(new Response(200, 'OK', data));
  }
  /** 201 `CREATED`. */
  okCreated<T>(data: T): Response<T> {
    return this.make(new Response(201, 'CREATED', data));
  }
  /** 200 `UPDATED`, message "Updated successfully" unless set. */
  okUpdated<T>(data: T): Response<T> {
    return this.make(new Response(200, 'UPDATED', data, 'Updated successfully'));
  }
  /** 204, no body. */
  okNoContent(): Response<never> {
    const res = new Response<never>(204, 'NO_CONTENT');
    res.kind = 'empty';
    return this.make(res);
  }
  /** 200 `OK` with a list and its meta. */
  okList<T>(items: T[], meta?: Record<string, unknown>): Response<T[]> {
    const res = new Response(200, 'OK', items);
    if (meta !== undefined) res.withMeta(meta);
    return this.make(res);
  }
  /** 200 `OK` with `meta.pagination = { page, pageSize, total, totalPages, hasNext, hasPrev }`. */
  okPagination<T>(items: T[], page: PaginationInput): Response<T[]> {
    return this.make(new Response(200, 'OK', items).withMeta(paginationMeta(page)));
  }
  errorBadRequest(message: string, errors?: FieldErrors): Response<never> {
    return this.make(Response.error(400, message, 'BAD_REQUEST', errors));
  }
  errorValidation(message: string, errors: FieldErrors): Response<never> {
    return this.make(Response.error(400, message, 'VALIDATION_ERROR', errors));
  }
  /** 401; `scheme` (e.g. `Bearer`) sets `WWW-Authenticate`. */
  errorUnauthorized(message: string, scheme?: string): Response<never> {
    const res = Response.error(401, message, 'UNAUTHORIZED');
    if (scheme !== undefined) res.withHeader('www-authenticate', scheme);
    return this.make(res);
  }
  errorForbidden(message: string): Response<never> {
    return this.make(Response.error(403, message, 'FORBIDDEN'));
  }
  errorNotFound(message: string): Response<never> {
    return this.make(Response.error(404, message, 'NOT_FOUND'));
  }
  errorConflict(message: string): Response<never> {
    return this.make(Response.error(409, message, 'CONFLICT'));
  }
  errorDuplicate(message: string): Response<never> {
    return this.make(Response.error(409, message, 'DUPLICATE'));
  }
  /** 429 with `Retry-After` (seconds, default 1). */
  errorTooManyRequests(message: string, retryAfterSeconds = 1): Response<never> {
    return this.make(Response.error(429, message, 'TOO_MANY_REQUESTS').withHeader('retry-after', String(retryAfterSeconds)));
  }
  errorInternal(message: string): Response<never> {
    return this.make(Response.error(500, message, 'INTERNAL_ERROR'));
  }
  errorServiceUnavailable(message: string): Response<never> {
    return this.make(Response.error(503, message, 'SERVICE_UNAVAILABLE'));
  }
  /**
   * Plain JSON, never enveloped, whatever the route's `envelope` setting: for third-party contracts.
   * @example
   * return ctx.json({ user: { email, token } }, 201);
   */
  json<T>(body: T, status = 200): Response<T> {
    const res = new Response<T>(status, 'JSON', body);
    res.kind = 'json';
    return this.make(res);
  }
  /** An HTML page, not enveloped. */
  html(html: string, status = 200): Response<never> {
    return this.make(raw('text/html; charset=utf-8', html, status));
  }
  /** Plain text, not enveloped. */
  text(text: string, status = 200): Response<never> {
    return this.make(raw('text/plain; charset=utf-8', text, status));
  }
  /** Any payload with its content type, not enveloped. */
  raw(contentType: string, payload: string | Buffer, status = 200): Response<never> {
    return this.make(raw(contentType, payload, status));
  }
  /** Streams a readable, not enveloped. */
  stream(readable: Readable, contentType = 'application/octet-stream'): Response<never> {
    return this.make(raw(contentType, readable, 200));
  }
  /** An HTML fragment for htmx (not enveloped), with `Vary: HX-Request`. */
  htmx(html: string, status = 200): Response<never> {
    return this.make(raw('text/html; charset=utf-8', html, status).withHeader('vary', 'HX-Request'));
  }
  /**
   * Tells htmx to navigate the whole page to `url` (`HX-Redirect`), with an empty 200. Same rules
   * as {@link redirect}: relative targets only unless `{ external: true }`, non-ASCII percent-encoded.
   */
  hxRedirect(url: string, options?: RedirectOptions): Response<never> {
    return this.make(raw('text/html; charset=utf-8', '', 200).withHeader('hx-redirect', redirectTarget('hx-redirect', url, options)));
  }
  /**
   * Triggers a client-side event (`HX-Trigger`), optionally with a JSON detail; non-ASCII names and
   * details are sent as htmx's JSON form with `\uXXXX` escapes, CR/LF in a name throws (→ 500).
   */
  hxTrigger(event: string, detail?: unknown): this {
    return this.withHeader('hx-trigger', hxTriggerValue(event, detail));
  }
  /** Tells htmx to reload the page (`HX-Refresh: true`). */
  hxRefresh(): Response<never> {
    return this.make(raw('text/html; charset=utf-8', '', 200).withHeader('hx-refresh', 'true'));
  }
  /** The answer of a `/page-data/<page>` handler: title, description and data for an htmx page. */
  htmxPageData<T>(title: string, description: string, data: T): Response<{ title: string; description: string; data: T }> {
    return this.make(new Response(200, 'OK', { title, description, data }));
  }

  /**
   * A redirect (302 unless given) to a target on this site (`/path`, `?q=1`, `../up`). An absolute
   * or protocol-relative target (`https://…`, `//evil.com`, `/\\evil.com`) throws
   * `LKS_ERR_RESPONSE_HEADER_INVALID` (→ 500) unless `{ external: true }`: redirecting to user input
   * is an open redirect. Non-ASCII is percent-encoded; CR/LF throws.
   * @example
   * return ctx.redirect('/login');
   * return ctx.redirect('https://accounts.example.com/', 303, { external: true });
   */
  redirect(url: string, status: number | RedirectOptions = 302, options?: RedirectOptions): Response<never> {
    const code = typeof status === 'number' ? status : 302;
    const res = new Response<never>(code, 'REDIRECT');
    res.kind = 'redirect';
    res.withHeader('location', redirectTarget('location', url, typeof status === 'number' ? options : status));
    return this.make(res);
  }
}

function raw(contentType: string, payload: string | Buffer | Readable, status: number): Response<never> {
  const res = new Response<never>(status, 'RAW');
  res.kind = 'raw';
  res.contentType = contentType;
  res.payload = payload;
  return res;
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Token } from '../internal/types';
import { authOf, type AuthInfo } from '../auth/types';
import { sessionOf, type SessionHandle } from '../auth/session-handle';
import { csrfOf } from '../auth/csrf-token';
import { bindTarget, requireJsonBody, type BindTarget } from './binding/bind-target';
import type { DtoPlanCache } from './binding/dto-binder';
import { bodyKindOf, type RequestSources } from './binding/sources';
import { ResponseHelpers } from './response/helpers';
import { requestSignal } from './request-signal';

/** A logger as Lokstra uses it (winston-compatible subset). */
export interface ContextLogger {
  error(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  debug(message: string, meta?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): ContextLogger;
}

/** Services visible to one request: request-scoped ones are created once per request. */
export interface RequestScope {
  get<T>(token: Token<T>): T;
}

/** What a Context needs from its app, shared by all requests of the app. */
export interface ContextRuntime {
  readonly plans: DtoPlanCache;
  readonly logger: ContextLogger;
  createRequestScope(): RequestScope;
}

/**
 * The per-request context: Fastify's request and reply, binding, per-request values and the
 * response helpers (`ctx.ok(data)` …).
 * @example
 * @Post('/') create(@Body() dto: CreateUserDto, ctx: Context) { return ctx.okCreated(this.users.create(dto)); }
 */
export class Context extends ResponseHelpers {
  readonly req: FastifyRequest;
  readonly reply: FastifyReply;
  private readonly runtime: ContextRuntime;
  private values: Map<string | symbol, unknown> | undefined;
  private scope: RequestScope | undefined;
  private logger: ContextLogger | undefined;
  private src: RequestSources | undefined;
  private abort: AbortSignal | undefined;

  constructor(req: FastifyRequest, reply: FastifyReply, runtime: ContextRuntime) {
    super();
    this.req = req;
    this.reply = reply;
    this.runtime = runtime;
  }

  get params(): Record<string, string> {
    return this.req.params as Record<string, string>;
  }
  get query(): Record<string, string | string[]> {
    return this.req.query as Record<string, string | string[]>;
  }
  get headers(): FastifyRequest['headers'] {
    return this.req.headers;
  }
  get body(): unknown {
    return this.req.body;
  }
  /** The request id (from `x-request-id` when sane, else generated). */
  get requestId(): string {
    return this.req.id;
  }
  /**
   * Aborted when the client goes away before the response is complete, or when the route's handler
   * timeout fires (never merely because a request body was read, as Fastify's `request.signal` is).
   */
  get signal(): AbortSignal {
    return (this.abort ??= requestSignal(this.req, this.reply));
  }
  /** A child container for this request: request-scoped services are created once per request. */
  get container(): RequestScope {
    return (this.scope ??= this.runtime.createRequestScope());
  }
  /** A logger whose lines carry this request's id. */
  get log(): ContextLogger {
    return (this.logger ??= this.runtime.logger.child({ requestId: this.req.id }));
  }

  /** Who made the request, as `jwt`, `api_key`, `session` or `oauth2` established it; `undefined` when anonymous. */
  get auth(): AuthInfo | undefined {
    return authOf(this.req);
  }

  /** The request's session (`get`/`set`/`regenerate`/`destroy`); `undefined` unless the `session` middleware covers the route. */
  get session(): SessionHandle | undefined {
    return sessionOf(this.req);
  }

  /** A CSRF token for this client (send it back in `x-csrf-token` or the `_csrf` field); throws unless the `csrf` middleware covers the route. */
  csrfToken(): string {
    const access = csrfOf(this.req);
    if (access === undefined) throw new TypeError('ctx.csrfToken(): the route has no csrf middleware');
    return access.token();
  }

  /** True for requests made by htmx (`HX-Request: true`). */
  get isHtmx(): boolean {
    return this.req.headers['hx-request'] === 'true';
  }

  /** A per-request value set by middleware or handlers. */
  get<T = unknown>(key: string | symbol): T | undefined {
    return this.values?.get(key) as T | undefined;
  }
  set(key: string | symbol, value: unknown): this {
    (this.values ??= new Map()).set(key, value);
    return this;
  }

  /** @internal The raw values binding reads from. */
  get sources(): RequestSources {
    return (this.src ??= {
      params: this.req.params as RequestSources['params'],
      query: this.req.query as RequestSources['query'],
      headers: this.req.headers,
      body: this.req.body,
      bodyKind: bodyKindOf(this.req.body, this.req.headers['content-type']),
    });
  }

  /** Binds path parameters into a DTO (a map target throws `LKS_ERR_BIND_PATH_MAP`). */
  bindPath<T>(target: BindTarget<T>): Promise<T> {
    return bindTarget(target, this.sources, 'path', this.runtime.plans);
  }
  /** Binds the query string; into a map, every key (repeated keys → arrays). */
  bindQuery<T>(target: BindTarget<T>): Promise<T> {
    return bindTarget(target, this.sources, 'query', this.runtime.plans);
  }
  /** Binds headers; into a map, every header. */
  bindHeader<T>(target: BindTarget<T>): Promise<T> {
    return bindTarget(target, this.sources, 'header', this.runtime.plans);
  }
  /** Binds and validates a JSON body (a form body → 415). */
  bindBody<T>(target: BindTarget<T>): Promise<T> {
    requireJsonBody(this.sources);
    return bindTarget(target, this.sources, 'body', this.runtime.plans);
  }
  /** Binds and validates the body by its content type: JSON or urlencoded form. */
  bindBodySmart<T>(target: BindTarget<T>): Promise<T> {
    return bindTarget(target, this.sources, 'body', this.runtime.plans);
  }
  /** Binds path, query, headers and a JSON body, then validates; a map takes query, headers, then body. */
  bindAll<T>(target: BindTarget<T>): Promise<T> {
    requireJsonBody(this.sources);
    return bindTarget(target, this.sources, 'all', this.runtime.plans);
  }
  /** Like `bindAll`, with the body bound by its content type. */
  bindAllSmart<T>(target: BindTarget<T>): Promise<T> {
    return bindTarget(target, this.sources, 'all', this.runtime.plans);
  }
}

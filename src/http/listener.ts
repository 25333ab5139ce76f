import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createServer } from './server';
import { HttpError } from '../errors/http-error';
import { LokstraError } from '../errors/lokstra-error';
import type { ListenAddress, Settings } from '../config/settings';
import type { AcceptKind, HttpMethod } from '../metadata/types';
import { contentKind, registerBodyParsers, unsupportedMediaMessage } from './body-parsers';
import { registerRequestGuards } from './request-guards';
import { finalizeResponse, isPlainScope, type ErrorOrigin } from './contract/finalize';
import { ScopeIndex } from './contract/scope';
import type { ErrorContext, ResponseScope } from './contract/types';
import { Context, type ContextLogger, type ContextRuntime } from './context';
import { Response } from './response/response';
import { sendResponse } from './response/send';
import { errorToResponse, genericMessage, type ErrorMapper } from './response/to-response';
import type { CompiledRoute, PrefixScope } from './routing/compile';
import { MethodIndex } from './method-index';
import { appendHooks, buildRouteParts, ERROR_LOG, LOKSTRA_ROUTE, RESPONSE_SCOPE, type ErrorLogPolicy, type FastifyRouteParts } from './route-fastify';
import { registerRoutes, type RouteToRegister } from './route-table';
import type { FastifyAttachment } from './routing/middleware-chain';
import type { HandlerEntry } from '../container/registry';
import { functionHandler } from './named-handlers';
import type { ListenerContext } from '../middleware/types';
import { resultToResponse } from './response/to-response';
import { redactUrl, safeLogValue } from '../middleware/log-safety';
import { runInRequestScope } from '../internal/request-scope';
import { badRequestLine } from './request-line';
import { installSendTimeout } from './send-timeout';
import { installRequestSignalFix } from './request-signal';
import { warmFastChecks } from './binding/fast-validator';
import type { Logger } from '../services/logger';
import { redactSecretsInText } from '../internal/redact-text';

/** What a listener needs besides its routes. */
export interface ListenerOptions {
  address: ListenAddress;
  settings: Settings;
  runtime: ContextRuntime;
  logger: ContextLogger;
  mappers: readonly ErrorMapper[];
  /** The deployment's named handlers (for `ListenerContext.respond`). */
  handlers?: ReadonlyMap<string, HandlerEntry>;
}

const DEFAULT_ACCEPTS: readonly AcceptKind[] = ['json', 'form'];

const DEFAULT_ERROR_LOG: ErrorLogPolicy = { stack: true };

/** A thrown value, told apart from a Response in the completion path. */
class Failure {
  constructor(readonly error: unknown) {}
}

const FRAMEWORK: ErrorOrigin = Object.freeze({ kind: 'framework', cause: undefined });

function errorContext(req: FastifyRequest, scope: ResponseScope): ErrorContext {
  const config = req.routeOptions?.config as unknown as Record<PropertyKey, unknown> | undefined;
  return {
    request: req, requestId: req.id, method: req.method, url: req.url, app: scope.app,
    route: config?.[LOKSTRA_ROUTE] === true ? req.routeOptions.url : undefined,
  };
}

function errorLogPolicy(parts: FastifyRouteParts | undefined): ErrorLogPolicy {
  return (parts?.config[ERROR_LOG] as ErrorLogPolicy | undefined) ?? DEFAULT_ERROR_LOG;
}

// Each Fastify-phase middleware sets up once per listener, in priority order (its plugins' hooks run in that order).
function setupsOf(attachments: readonly FastifyAttachment[]): FastifyAttachment['middleware'][] {
  const seen = new Map<FastifyAttachment['middleware'], number>();
  for (const a of attachments) if (!seen.has(a.middleware)) seen.set(a.middleware, a.defaultPriority);
  return [...seen].sort((a, b) => a[1] - b[1]).map(([mw]) => mw);
}

/** One Fastify instance serving every app declared on one address. */
export class Listener {
  readonly fastify: FastifyInstance;
  readonly address: ListenAddress;
  readonly apps: string[] = [];
  private closing = false;
  private closed: Promise<void> | undefined;
  private readonly opts: ListenerOptions;
  private readonly scopes = new ScopeIndex();

  constructor(opts: ListenerOptions) {
    this.opts = opts;
    this.address = opts.address;
    const s = opts.settings;
    this.fastify = createServer(s, opts.logger as Logger, (err, req, reply) => {
      const res = errorToResponse(err, opts.mappers, true).response;
      sendResponse(reply, this.finish(res, this.scopes.scopeFor(req.url ?? '/'), req, { kind: 'framework', cause: err }));
    });
    installSendTimeout(this.fastify, s.sendTimeout);
    if (s.handlerTimeout > 0) installRequestSignalFix(this.fastify);
    registerBodyParsers(this.fastify, { maxDepth: s.maxJsonDepth, maxStringLength: s.maxStringLength, maxArrayLength: s.maxArrayLength, maxObjectKeys: s.maxObjectKeys });
    registerRequestGuards(this.fastify);
    this.fastify.setErrorHandler((err, req, reply) => this.fail(err, req, reply));
  }

  /**
   * Registers the routes of every app on this address; the first app owns the 404. Fastify-phase
   * middleware is compiled here, once per route: its plugins are registered once per listener
   * (before any route, so their `onRoute` hooks see them), its options and hooks go on the routes.
   * The first app's app-level Fastify-phase middleware also covers unmatched requests (404/405,
   * unmatched OPTIONS and CORS preflights) and routes that Fastify plugins add.
   */
  async addRoutes(routes: CompiledRoute[], prefixScopes: readonly PrefixScope[] = []): Promise<void> {
    const index = new MethodIndex(this.opts.settings);
    for (const p of prefixScopes) this.scopes.add(p.prefix, p.scope, p.app === this.apps[0]);
    const env = { logger: this.opts.logger };
    const toRegister: RouteToRegister[] = routes.map((route) => ({
      route, parts: buildRouteParts(route.fastify, { app: route.app, method: route.method, url: route.url, source: route.source }, env),
    }));
    // Routes with their own `timeout` need the signal fix too (the global one installed it already).
    if (this.opts.settings.handlerTimeout === 0 && toRegister.some((e) => e.parts.options['handlerTimeout'] !== undefined)) installRequestSignalFix(this.fastify);
    const ownerApp = this.apps[0] as string;
    const ownerAttachments = routes.find((r) => r.app === ownerApp)?.appFastify ?? [];
    const fallback = buildRouteParts(ownerAttachments, { app: ownerApp, method: '*', url: '*', source: `app ${ownerApp} (unmatched requests)` }, env);
    if (fallback.hasHooks) {
      this.fastify.addHook('onRoute', (opts) => {
        if ((opts.config as Record<PropertyKey, unknown> | undefined)?.[LOKSTRA_ROUTE] !== true) appendHooks(opts as unknown as Record<string, unknown>, fallback.hooks);
      });
    }
    const attachments = [...routes.flatMap((r) => r.fastify), ...ownerAttachments];
    const base = { routeConfig: (method: string, url: string) => index.configFor(method, url), hasHandler: (name: string) => functionHandler(this.opts.handlers, name) !== undefined, respond: this.respond.bind(this) };
    for (const mw of setupsOf(attachments)) {
      const configs = [...new Set(attachments.filter((a) => a.middleware === mw).map((a) => a.config))];
      await mw.setup?.(this.fastify, { ...base, configs } satisfies ListenerContext);
    }
    registerRoutes(this.fastify, toRegister, (entry) => this.wrap(entry), index);
    await this.fastify.register(async (scope) => {
      for (const [name, fns] of Object.entries(fallback.hooks)) for (const fn of fns) scope.addHook(name as never, fn as never);
      scope.setNotFoundHandler({ config: { ...fallback.config } } as never, (req, reply) => this.notFound(index, req, reply));
    });
  }

  private async respond(name: string, req: FastifyRequest, reply: FastifyReply, ...args: unknown[]): Promise<void> {
    const fn = functionHandler(this.opts.handlers, name);
    if (fn === undefined) throw new LokstraError('LKS_ERR_ROUTE_HANDLER_NOT_FOUND', { name, source: 'ListenerContext.respond', known: [...(this.opts.handlers?.keys() ?? [])].join(', ') || 'none' });
    const ctx = new Context(req, reply, this.opts.runtime);
    try {
      const res = ctx.applyPending(resultToResponse(await runInRequestScope(ctx, () => fn(ctx, ...args))));
      sendResponse(reply, this.finish(res, this.scopes.scopeFor(req.raw.url ?? '/'), req, undefined));
    } catch (err) {
      this.fail(err, req, reply);
    }
  }

  private notFound(index: MethodIndex, req: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
    if (this.closing) return this.sendClosing(reply);
    const scope = this.scopes.scopeFor(req.raw.url ?? '/');
    const send = (res: Response): FastifyReply | undefined => sendResponse(reply, this.finish(res, scope, req, FRAMEWORK));
    const bad = badRequestLine(req);
    if (bad !== undefined) return send(Response.error(400, bad, 'BAD_REQUEST'));
    const allow = index.allowFor(req.raw.url ?? '/');
    if (allow === undefined) return send(Response.error(404, genericMessage(404), 'NOT_FOUND'));
    if (req.method === 'OPTIONS') return reply.code(204).header('allow', allow).send();
    return send(Response.error(405, genericMessage(405), 'METHOD_NOT_ALLOWED').withHeader('allow', allow));
  }

  /** Applies a scope (envelope off, error formatter, validation status) to the response about to be sent. */
  private finish(res: Response, scope: ResponseScope, req: FastifyRequest, origin: ErrorOrigin | undefined): Response {
    if (isPlainScope(scope)) return res;
    return finalizeResponse(res, { scope, origin, logger: this.opts.logger, context: () => errorContext(req, scope) });
  }

  private wrap({ route, parts }: RouteToRegister): (req: FastifyRequest, reply: FastifyReply) => unknown {
    const { runtime } = this.opts;
    const accepts = route.accepts;
    const narrowed = accepts !== undefined && DEFAULT_ACCEPTS.some((k) => !accepts.includes(k));
    const run = route.run;
    const policy = errorLogPolicy(parts);
    const scope = route.scope;
    const plain = isPlainScope(scope);
    // Sends the handler's outcome; returns undefined (a sync Fastify handler that already replied).
    const complete = (req: FastifyRequest, reply: FastifyReply, ctx: Context, outcome: Response | Failure): undefined => {
      let res: Response;
      let origin: ErrorOrigin | undefined;
      const failed = outcome instanceof Failure;
      if (failed) ({ response: res, origin } = this.toErrorResponse(outcome.error, req, false, policy, route.url));
      else res = ctx.applyPending(outcome);
      if (!plain) res = this.finish(res, scope, req, origin);
      if (reply.sent) {
        // A handler timeout already answered 503 and aborted ctx.signal: the late result is dropped
        // silently; a failure was logged once already; 'handled' replies are the handler's own.
        if (!failed && res.kind !== 'empty' && res.kind !== 'handled' && !ctx.signal.aborted) this.opts.logger.warn(new LokstraError('LKS_ERR_RESPONSE_ALREADY_SENT', { method: req.method, url: redactUrl(req.url) }).message, { code: 'LKS_ERR_RESPONSE_ALREADY_SENT', requestId: req.id });
        return undefined;
      }
      if (this.closing && res.kind !== 'handled') reply.header('connection', 'close');
      sendResponse(reply, res, route.serializer);
      return undefined;
    };
    // No async wrapper: a handler that returns synchronously is answered without a promise.
    // Every path returns undefined once it replied (Fastify would `reply.send` any other value).
    const refuse = (req: FastifyRequest, reply: FastifyReply, res: Response): undefined => {
      sendResponse(reply, this.finish(res, scope, req, FRAMEWORK));
      return undefined;
    };
    return (req, reply) => {
      if (this.closing) {
        this.sendClosing(reply);
        return undefined;
      }
      const bad = badRequestLine(req);
      if (bad !== undefined) return refuse(req, reply, Response.error(400, bad, 'BAD_REQUEST'));
      if (narrowed && req.body !== undefined) {
        const kind = contentKind(req.headers['content-type']);
        if (kind !== undefined && !(accepts as AcceptKind[]).includes(kind as AcceptKind)) {
          return refuse(req, reply, Response.error(415, genericMessage(415), 'UNSUPPORTED_MEDIA_TYPE'));
        }
      }
      const ctx = new Context(req, reply, runtime);
      let out: Response | Promise<Response>;
      try {
        // The request scope lets code the handler calls (DbPool queries) find ctx.signal.
        out = runInRequestScope(ctx, run, ctx);
      } catch (err) {
        return complete(req, reply, ctx, new Failure(err));
      }
      // An async handler's promise must resolve to `reply` (not undefined): Fastify would otherwise
      // end a still-streaming reply with an empty body.
      if (out instanceof Promise) {
        return out.then((res) => complete(req, reply, ctx, res), (err: unknown) => complete(req, reply, ctx, new Failure(err))).then(() => reply);
      }
      return complete(req, reply, ctx, out);
    };
  }

  /** Maps a thrown value to a Response; internal errors are logged once, with the request id (and stack unless `recovery` says otherwise). */
  private toErrorResponse(err: unknown, req: FastifyRequest, fromFramework: boolean, policy: ErrorLogPolicy, route: string | undefined): { response: Response; origin: ErrorOrigin } {
    const { response, isInternal } = errorToResponse(err, this.opts.mappers, fromFramework);
    const origin: ErrorOrigin = { kind: isInternal ? 'internal' : fromFramework && !HttpError.is(err) ? 'framework' : 'http', cause: err };
    if (isInternal) {
      const error = err instanceof Error
        ? { name: err.name, message: safeLogValue(redactSecretsInText(err.message)), ...(policy.stack ? { stack: safeStack(err.stack === undefined ? undefined : redactSecretsInText(err.stack)) } : {}) }
        : { value: safeLogValue(redactSecretsInText(String(err))) };
      this.opts.logger.error('request failed', { requestId: req.id, method: req.method, route, url: redactUrl(req.url), error });
    }
    return { response, origin };
  }

  // Fastify's error handler only sees errors from its own lifecycle (parsing, limits, timeouts,
  // hooks): handler errors are caught in `wrap`.
  private fail(err: unknown, req: FastifyRequest, reply: FastifyReply): void {
    const config = req.routeOptions.config as unknown as Record<PropertyKey, unknown> | undefined;
    const policy = (config?.[ERROR_LOG] as ErrorLogPolicy | undefined) ?? DEFAULT_ERROR_LOG;
    const { response, origin } = this.toErrorResponse(err, req, true, policy, config?.[LOKSTRA_ROUTE] === true ? req.routeOptions.url : undefined);
    // A body with no content type, or one Lokstra does not parse: say what to send.
    if ((err as { code?: unknown }).code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') response.message = unsupportedMediaMessage(req.headers['content-type']);
    const scope = (config?.[RESPONSE_SCOPE] as ResponseScope | undefined) ?? this.scopes.scopeFor(req.raw.url ?? '/');
    sendResponse(reply, this.finish(response, scope, req, origin));
  }

  private sendClosing(reply: FastifyReply): FastifyReply | undefined {
    reply.header('connection', 'close').header('retry-after', '5');
    return sendResponse(reply, Response.error(503, 'Server is shutting down', 'SERVICE_UNAVAILABLE'));
  }

  /** Starts listening; failure (e.g. EADDRINUSE) is a LokstraError naming app and address. */
  async listen(): Promise<string> {
    try {
      const a = this.address;
      // Then ajv's code for the DTOs, now that nothing waits for it.
      return await this.fastify.listen(a.path !== undefined ? { path: a.path } : { host: a.host, port: a.port }).finally(warmFastChecks);
    } catch (err) {
      const a = this.address;
      throw new LokstraError('LKS_ERR_CONFIG_LISTEN_FAILED', {
        app: this.apps.join(', '), address: a.path ?? `${a.host}:${a.port}`, detail: (err as NodeJS.ErrnoException).code ?? (err as Error).message,
      }, { cause: err });
    }
  }

  /**
   * Stops accepting, lets in-flight requests finish up to `deadlineMs`, then closes every remaining
   * connection (a keep-alive client cannot hold shutdown). Idempotent.
   */
  close(deadlineMs: number): Promise<void> {
    this.closed ??= (async () => {
      this.closing = true;
      const timer = setTimeout(() => this.fastify.server.closeAllConnections(), deadlineMs);
      timer.unref();
      try {
        await this.fastify.close();
      } finally {
        clearTimeout(timer);
      }
    })();
    return this.closed;
  }

  /** Route methods for the table dump. */
  static methodsOf(route: CompiledRoute): HttpMethod[] {
    return route.method === 'ALL' ? ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] : [route.method];
  }
}

// Stack lines may carry user input (an error message); U+2028/U+2029 would break line-based log readers.
function safeStack(stack: string | undefined): string | undefined {
  return stack?.replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

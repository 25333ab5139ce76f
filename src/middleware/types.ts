import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Token } from '../internal/types';

/** The Fastify lifecycle hooks a middleware may add to a route. */
export type RouteHookName =
  | 'onRequest' | 'preParsing' | 'preValidation' | 'preHandler' | 'preSerialization'
  | 'onSend' | 'onResponse' | 'onError' | 'onTimeout' | 'onRequestAbort';

/** A Fastify hook function (callback or async form). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RouteHook = (...args: any[]) => unknown;

/** Route options a middleware may set (`bodyLimit`, `handlerTimeout`, `config`, plugin options such as `helmet`…). */
export type RouteOptionsPart = Partial<Omit<RouteOptions, 'method' | 'url' | 'handler' | RouteHookName>> & {
  config?: Record<PropertyKey, unknown>;
  [pluginOption: string]: unknown;
};

/** What a Fastify-phase middleware adds to one route, at boot. */
export interface RouteContribution {
  /** Merged into the route's options; `config` is merged key by key, other keys set by an inner middleware win. */
  options?: RouteOptionsPart;
  /** Route-level hooks, appended in priority order. */
  hooks?: Partial<Record<RouteHookName, RouteHook | RouteHook[]>>;
}

/** The route a contribution is built for. */
export interface RouteInfo {
  app: string;
  method: string;
  /** The path template (`/users/:id`); `*` for unmatched requests (404/405 and routes added by Fastify plugins). */
  url: string;
  source: string;
}

/** What a middleware (factory or Fastify-phase `build`) is given besides its config. */
export interface MiddlewareEnv {
  /** The deployment's services (singletons and YAML services are created before middleware is built). */
  container: { get<T>(token: Token<T>): T };
  /** The deployment's logger (winston unless replaced by `options.logger`). */
  logger: {
    error(message: string, meta?: Record<string, unknown>): void;
    warn(message: string, meta?: Record<string, unknown>): void;
    info(message: string, meta?: Record<string, unknown>): void;
    debug(message: string, meta?: Record<string, unknown>): void;
  };
}

/** What `setup` can ask the listener. */
export interface ListenerContext {
  /** The Fastify route config of the route that would serve `method url` on this listener, if any. */
  routeConfig(method: string, url: string): Record<PropertyKey, unknown> | undefined;
  /** The configs this middleware is attached with on this listener (for plugins that add routes per config, e.g. `oauth2`). */
  configs: readonly Record<string, unknown>[];
  /** True when a function handler is registered under `name`. */
  hasHandler(name: string): boolean;
  /**
   * Answers a request (on a route a plugin added) with a registered function handler, as a route
   * would: `fn(ctx, ...args)` gets a Lokstra Context, its result or error becomes the response.
   */
  respond(name: string, req: FastifyRequest, reply: FastifyReply, ...args: unknown[]): Promise<void>;
}

/**
 * A middleware that works in Fastify's lifecycle rather than around the handler: it contributes
 * route options and hooks, compiled per route at boot, and may register plugins once per listener.
 * @example
 * registry.middleware('server_timing', {
 *   build: (config) => ({
 *     hooks: { onSend: async (_req, reply, payload) => { reply.header('server-timing', `app;dur=${reply.elapsedTime}`); return payload; } },
 *   }),
 * }, { priority: 25 });
 */
export interface FastifyMiddleware {
  /**
   * Called once on each listener that has a route using this middleware, before any route is added
   * (register plugins with `await fastify.register(…)`, decorators, instance hooks).
   */
  setup?(fastify: FastifyInstance, listener: ListenerContext): void | Promise<void>;
  /**
   * Called once per attachment (its config) at boot. Returns what every route it covers gets, or a
   * function of the route for contributions that depend on it (e.g. on its path).
   */
  build(config: Record<string, unknown>, env: MiddlewareEnv): RouteContribution | ((route: RouteInfo) => RouteContribution);
}

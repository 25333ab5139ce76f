import type { FastifyAttachment } from './routing/middleware-chain';
import type { MiddlewareEnv, RouteHook, RouteHookName, RouteInfo } from '../middleware/types';

/** Marks the config of routes Lokstra registered (routes without it were added by Fastify plugins). */
export const LOKSTRA_ROUTE = Symbol.for('lokstra.route');

/** Route config key holding the route's response scope (envelope, error formatter), read when Fastify's lifecycle fails. */
export const RESPONSE_SCOPE = Symbol.for('lokstra.response-scope');

/** Route config key read by the listener when it logs a failed request (set by `recovery`). */
export const ERROR_LOG = Symbol.for('lokstra.error-log');

/** How a route's internal errors are logged. */
export interface ErrorLogPolicy {
  stack: boolean;
}

/** A route's Fastify-phase middleware compiled into route options, config and hooks. */
export interface FastifyRouteParts {
  options: Record<string, unknown>;
  config: Record<PropertyKey, unknown>;
  hooks: Partial<Record<RouteHookName, RouteHook[]>>;
  /** Whether any hook was contributed. */
  hasHooks: boolean;
}

/**
 * Compiles a route's Fastify-phase middleware (already in priority order) into one set of route
 * options and hooks, at boot: hooks are appended in order, `config` keys merged, and for any other
 * option an inner (later) middleware wins.
 */
export function buildRouteParts(attachments: readonly FastifyAttachment[], route: RouteInfo, env: Pick<MiddlewareEnv, 'logger'>): FastifyRouteParts {
  const parts: FastifyRouteParts = { options: {}, config: {}, hooks: {}, hasHooks: false };
  for (const attachment of attachments) {
    const { options, hooks } = attachment.contribution(route, env);
    if (options !== undefined) {
      const { config, ...rest } = options;
      Object.assign(parts.options, rest);
      if (config !== undefined) Object.assign(parts.config, config);
    }
    for (const [name, fns] of Object.entries(hooks ?? {}) as [RouteHookName, RouteHook | RouteHook[] | undefined][]) {
      if (fns === undefined) continue;
      (parts.hooks[name] ??= []).push(...(Array.isArray(fns) ? fns : [fns]));
      parts.hasHooks = true;
    }
  }
  return parts;
}

/** Appends hooks to a Fastify route options object (as plugins do in `onRoute`). */
export function appendHooks(target: Record<string, unknown>, hooks: FastifyRouteParts['hooks']): void {
  for (const [name, fns] of Object.entries(hooks) as [RouteHookName, RouteHook[]][]) {
    const existing = target[name] as RouteHook | RouteHook[] | undefined;
    target[name] = [...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing]), ...fns];
  }
}

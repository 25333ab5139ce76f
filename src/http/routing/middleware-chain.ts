import { LokstraError } from '../../errors/lokstra-error';
import { tokenName } from '../../internal/types';
import type { MiddlewareEntry } from '../../container/registry';
import type { MiddlewareFn, MiddlewareRef } from '../../metadata/types';
import type { FastifyMiddleware, MiddlewareEnv, RouteContribution, RouteInfo } from '../../middleware/types';
import { suggest } from '../../internal/suggest';

// Resolvers built without a deployment (unit tests of the chain) have no services to offer.
const NO_CONTAINER: MiddlewareEnv['container'] = {
  get: (token) => {
    throw new LokstraError('LKS_ERR_DI_NOT_FOUND', { token: tokenName(token), hint: ' (middleware was built without a container)' });
  },
};

const SILENT: MiddlewareEnv['logger'] = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

/** One level of a route's middleware: app, group, controller, method or route. */
export interface ChainLevel {
  refs: readonly MiddlewareRef[];
  override: boolean;
  source: string;
}

/**
 * A Fastify-phase middleware attached with one config. Shared by every route the attachment
 * covers, so `build` runs once per attachment, not once per route.
 */
export class FastifyAttachment {
  private built: RouteContribution | ((route: RouteInfo) => RouteContribution) | undefined;

  constructor(
    readonly name: string, readonly middleware: FastifyMiddleware, readonly config: Record<string, unknown>, readonly defaultPriority: number,
    private readonly container: MiddlewareEnv['container'] = NO_CONTAINER,
  ) {}

  /** The contribution for one route (boot time). */
  contribution(route: RouteInfo, env: Pick<MiddlewareEnv, 'logger'>): RouteContribution {
    const built = (this.built ??= this.middleware.build(this.config, { container: this.container, ...env }));
    return typeof built === 'function' ? built(route) : built;
  }
}

/** A route's middleware, flattened: `(ctx, next)` functions and Fastify-phase attachments, each in run order. */
export interface ResolvedChain {
  fns: MiddlewareFn[];
  /** Names of both phases in run order (Fastify phase first), for the route table. */
  names: string[];
  fastify: FastifyAttachment[];
}

interface Resolved {
  name: string | undefined;
  priority: number;
  order: number;
  fn: MiddlewareFn | FastifyAttachment;
}

type RefObject = { name: string; config?: Record<string, unknown>; enabled?: boolean; priority?: number };

/** Default priority of inline functions (named custom middleware default to 50). */
export const INLINE_PRIORITY = 100;

/**
 * Flattens a route's middleware levels into one ordered list per phase, at boot: an `override`
 * level drops everything outer; a name used at several levels runs once with the innermost config;
 * within a phase, lower priority runs outer and ties keep declaration order. Factories run, and
 * configs are validated, once per attachment (cached by the ref object).
 */
export class MiddlewareResolver {
  private readonly cache = new Map<unknown, MiddlewareFn | FastifyAttachment>();

  private readonly env: MiddlewareEnv;

  /** `env` gives factories the deployment's container and logger (`{ config, container, logger }`). */
  constructor(private readonly registry: ReadonlyMap<string, MiddlewareEntry>, env: Partial<MiddlewareEnv> = {}) {
    this.env = { container: env.container ?? NO_CONTAINER, logger: env.logger ?? SILENT };
  }

  resolveChain(levels: readonly ChainLevel[]): ResolvedChain {
    let start = 0;
    levels.forEach((level, i) => { if (level.override) start = i; });
    const byName = new Map<string, Resolved>();
    const list: Resolved[] = [];
    let order = 0;
    for (const level of levels.slice(start)) {
      for (const ref of level.refs) {
        const at = level.source.endsWith('.middleware') ? `${level.source}[${level.refs.indexOf(ref)}]` : level.source;
        const resolved = this.resolve(ref, at, order++);
        if (resolved === undefined) continue;
        const existing = resolved.name === undefined ? undefined : byName.get(resolved.name);
        if (existing !== undefined) {
          existing.fn = resolved.fn;
          existing.priority = resolved.priority;
          continue;
        }
        if (resolved.name !== undefined) byName.set(resolved.name, resolved);
        list.push(resolved);
      }
    }
    list.sort((a, b) => a.priority - b.priority || a.order - b.order);
    const hooks = list.filter((r) => r.fn instanceof FastifyAttachment);
    const wrappers = list.filter((r) => !(r.fn instanceof FastifyAttachment));
    return {
      fns: wrappers.map((r) => r.fn as MiddlewareFn),
      fastify: hooks.map((r) => r.fn as FastifyAttachment),
      names: [...hooks, ...wrappers].map((r) => r.name ?? ((r.fn as MiddlewareFn).name || 'anonymous')),
    };
  }

  private resolve(ref: MiddlewareRef, source: string, order: number): Resolved | undefined {
    if (typeof ref === 'function') return { name: undefined, priority: INLINE_PRIORITY, order, fn: ref };
    const obj: RefObject = typeof ref === 'string' ? { name: ref } : (ref as RefObject);
    if (obj.enabled === false) return undefined;
    const entry = this.registry.get(obj.name);
    if (entry === undefined) {
      const hint = suggest(obj.name, this.registry.keys());
      throw new LokstraError('LKS_ERR_MIDDLEWARE_NOT_FOUND', { name: obj.name, source, hint: hint === undefined ? '' : ` (did you mean '${hint}'?)`, known: [...this.registry.keys()].join(', ') || 'none' });
    }
    let fn = this.cache.get(ref);
    if (fn === undefined) {
      fn = this.instantiate(entry, obj.config ?? {}, source);
      this.cache.set(ref, fn);
    }
    return { name: entry.name, priority: obj.priority ?? entry.priority, order, fn };
  }

  private instantiate(entry: MiddlewareEntry, config: Record<string, unknown>, source: string): MiddlewareFn | FastifyAttachment {
    const problem = entry.validate?.(config);
    if (problem !== undefined) throw new LokstraError('LKS_ERR_MIDDLEWARE_INVALID', { name: entry.name, detail: `${problem} (at ${source})` });
    if (entry.fastify !== undefined) return new FastifyAttachment(entry.name, entry.fastify, config, entry.priority, this.env.container);
    // `(config, { config, container, logger })`: factories written as `(config) => fn` keep working.
    const fn = (entry.factory as NonNullable<MiddlewareEntry['factory']>)(config, { ...this.env, config });
    if (typeof fn !== 'function') throw new LokstraError('LKS_ERR_MIDDLEWARE_INVALID', { name: entry.name, detail: 'its factory did not return a function' });
    return fn;
  }
}

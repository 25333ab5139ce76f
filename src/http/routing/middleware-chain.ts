import { LokstraError } from '../../errors/lokstra-error';
import type { MiddlewareEntry } from '../../container/registry';
import type { MiddlewareFn, MiddlewareRef } from '../../metadata/types';

/** One level of a route's middleware: app, group, controller, method or route. */
export interface ChainLevel {
  refs: readonly MiddlewareRef[];
  override: boolean;
  source: string;
}

interface Resolved {
  name: string | undefined;
  priority: number;
  order: number;
  fn: MiddlewareFn;
}

type RefObject = { name: string; config?: Record<string, unknown>; enabled?: boolean; priority?: number };

/** Default priority of inline functions (named custom middleware default to 50). */
export const INLINE_PRIORITY = 100;

/**
 * Flattens a route's middleware levels into one ordered list, at boot: an `override` level drops
 * everything outer; a name used at several levels runs once with the innermost config; ties in
 * priority keep declaration order. Factories run once per attachment (cached by the ref object).
 */
export class MiddlewareResolver {
  private readonly cache = new Map<unknown, MiddlewareFn>();

  constructor(private readonly registry: ReadonlyMap<string, MiddlewareEntry>) {}

  resolveChain(levels: readonly ChainLevel[]): { fns: MiddlewareFn[]; names: string[] } {
    let start = 0;
    levels.forEach((level, i) => { if (level.override) start = i; });
    const byName = new Map<string, Resolved>();
    const list: Resolved[] = [];
    let order = 0;
    for (const level of levels.slice(start)) {
      for (const ref of level.refs) {
        const resolved = this.resolve(ref, level.source, order++);
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
    return { fns: list.map((r) => r.fn), names: list.map((r) => r.name ?? (r.fn.name || 'anonymous')) };
  }

  private resolve(ref: MiddlewareRef, source: string, order: number): Resolved | undefined {
    if (typeof ref === 'function') return { name: undefined, priority: INLINE_PRIORITY, order, fn: ref };
    const obj: RefObject = typeof ref === 'string' ? { name: ref } : (ref as RefObject);
    if (obj.enabled === false) return undefined;
    const entry = this.registry.get(obj.name);
    if (entry === undefined) {
      throw new LokstraError('LKS_ERR_MIDDLEWARE_NOT_FOUND', { name: obj.name, source, known: [...this.registry.keys()].join(', ') || 'none' });
    }
    let fn = this.cache.get(ref);
    if (fn === undefined) {
      fn = entry.factory(obj.config ?? {});
      if (typeof fn !== 'function') throw new LokstraError('LKS_ERR_MIDDLEWARE_INVALID', { name: obj.name, detail: 'its factory did not return a function' });
      this.cache.set(ref, fn);
    }
    return { name: obj.name, priority: obj.priority ?? entry.priority, order, fn };
  }
}

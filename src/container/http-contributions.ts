import { LokstraError } from '../errors/lokstra-error';
import { HTTP_CONTRIBUTION, type ContributedRoute, type HttpContribution } from '../metadata/types';
import type { CreatedService } from './lifecycle';
import type { Registry } from './registry';

/** Contributions gathered from the created services, in creation order. */
export interface GatheredContributions {
  routes: (ContributedRoute & { service: string })[];
  onListener: NonNullable<HttpContribution['onListener']>[];
  errorMappers: ((error: unknown) => unknown)[];
}

/**
 * Reads `[HTTP_CONTRIBUTION]()` from every created service once: registers its handlers by name
 * (a clash with an existing handler is a boot error) and returns its routes and listener hooks.
 */
export function gatherContributions(created: readonly CreatedService[], registry: Registry): GatheredContributions {
  const out: GatheredContributions = { routes: [], onListener: [], errorMappers: [] };
  for (const svc of created) {
    const fn = (svc.instance as Record<symbol, unknown> | null)?.[HTTP_CONTRIBUTION];
    if (typeof fn !== 'function') continue;
    const c = fn.call(svc.instance) as HttpContribution;
    for (const [name, handler] of Object.entries(c.handlers ?? {})) {
      if (registry.handlers.has(name)) {
        throw new LokstraError('LKS_ERR_DI_DUPLICATE', { kind: `handler (from service '${svc.name}')`, name });
      }
      registry.handler(name, handler);
    }
    for (const r of c.routes ?? []) out.routes.push({ ...r, service: svc.name });
    if (c.onListener) out.onListener.push(c.onListener);
    out.errorMappers.push(...(c.errorMappers ?? []));
  }
  return out;
}

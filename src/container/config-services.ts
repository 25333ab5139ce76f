import { LokstraError } from '../errors/lokstra-error';
import { formatPosition, positionOf } from '../config/positions';
import type { ServiceConfig } from '../config/types';
import type { LifecycleState } from '../metadata/types';
import type { Registry } from './registry';
import type { ServiceContainer } from './service-container';
import { topoSort } from './graph';

const ALIAS_PREFIX = 'lokstra.';

/** Finds a service factory by type; the Go bare names are aliases of `lokstra.*` types. */
function factoryFor(registry: Registry, svc: ServiceConfig, index?: number): NonNullable<ReturnType<Registry['serviceFactories']['get']>> {
  const factory = registry.serviceFactories.get(svc.type) ?? registry.serviceFactories.get(ALIAS_PREFIX + svc.type);
  if (factory === undefined) {
    const pos = positionOf(svc, ['type']);
    const source = `${pos ? formatPosition(pos) + ' ' : ''}services[${index ?? `name=${svc.name}`}].type`;
    throw new LokstraError('LKS_ERR_DI_UNKNOWN_FACTORY', { name: svc.name, type: svc.type, source, known: [...registry.serviceFactories.keys()].join(', ') || 'none' });
  }
  return factory;
}

/** Declares every configured service name, so class dependencies on them validate before creation. */
export function declareConfigServices(services: ServiceConfig[], registry: Registry, container: ServiceContainer): void {
  for (const [i, svc] of services.entries()) {
    factoryFor(registry, svc, i);
    container.declareName(svc.name);
  }
  const names = new Set(services.map((s) => s.name));
  for (const svc of services) {
    for (const dep of svc.depends_on ?? []) {
      if (!names.has(dep) && !container.isKnown(dep)) {
        throw new LokstraError('LKS_ERR_DI_NOT_FOUND', { token: dep, hint: ` (in depends_on of service '${svc.name}'); registered: ${container.knownTokens().join(', ')}` });
      }
    }
  }
}

/** Creates configured services in `depends_on` order (a cycle is a boot error), awaiting async factories. */
export async function createConfigServices(services: ServiceConfig[], registry: Registry, container: ServiceContainer, env: { lifecycle: LifecycleState; apps: readonly string[] }): Promise<void> {
  const byName = new Map(services.map((s) => [s.name, s]));
  const order = topoSort(services.map((s) => s.name), (n) => byName.get(n)?.depends_on ?? []);
  for (const name of order) {
    const svc = byName.get(name) as ServiceConfig;
    // An override replaces the service before anything is created: its factory (and connection) never runs.
    if (container.isOverridden(name)) continue;
    let instance: unknown;
    try {
      instance = await factoryFor(registry, svc)(svc.config ?? {}, { name, getService: (t) => container.get(t), lifecycle: env.lifecycle, apps: env.apps, listServices: () => [...container.created] });
    } catch (err) {
      if (LokstraError.is(err)) throw err;
      throw new LokstraError('LKS_ERR_SERVICE_START_FAILED', { name, detail: (err as Error)?.message ?? String(err) }, { cause: err });
    }
    container.bindValue(name, instance, name);
  }
}

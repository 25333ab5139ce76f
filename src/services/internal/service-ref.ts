import { LokstraError } from '../../errors/lokstra-error';
import type { ServiceFactoryContext } from '../../metadata/types';

/**
 * The service another one names in its config (`redis: redis.main`, `logger: log`). Config
 * services are created in `depends_on` order, so a missing one is most often a missing
 * `depends_on` entry: the error says so.
 */
export function serviceRef<T>(ctx: ServiceFactoryContext, key: string, name: string, accept: (v: unknown) => v is T, expected: string): T {
  const path = `services.${ctx.name}.config.${key}`;
  const created = ctx.listServices().find((s) => s.name === name);
  let instance: unknown = created?.instance;
  if (created === undefined) {
    try {
      instance = ctx.getService(name);
    } catch {
      throw new LokstraError('LKS_ERR_CONFIG_INVALID', { path, detail: `service '${name}' does not exist yet; declare it and add it to depends_on of '${ctx.name}'` });
    }
  }
  if (!accept(instance)) throw new LokstraError('LKS_ERR_CONFIG_INVALID', { path, detail: `service '${name}' is not ${expected}` });
  return instance;
}

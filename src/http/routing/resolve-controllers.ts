import { LokstraError } from '../../errors/lokstra-error';
import type { Registry } from '../../container/registry';
import { isDefinedModule } from '../../metadata/defined-module';
import { metadata } from '../../metadata/store';
import type { Class } from '../../internal/types';
import type { MountDefinition } from './router';

/** Expands a mount target (controller class, module, or a registered name) into controller classes. */
export function resolveControllers(mount: MountDefinition, registry: Registry): Class[] {
  const { target } = mount;
  if (typeof target === 'string') {
    const ctl = registry.controllers.get(target);
    if (ctl) return [ctl];
    const mod = registry.modules.get(target);
    if (mod) return mod.controllers;
    throw new LokstraError('LKS_ERR_ROUTE_CONTROLLER_NOT_FOUND', {
      name: target, source: mount.source, known: [...registry.controllers.keys(), ...registry.modules.keys()].join(', ') || 'none',
    });
  }
  if (isDefinedModule(target)) {
    registry.module(target);
    return registry.modules.get(target.name)?.controllers ?? [];
  }
  const cls = target as Class;
  if (metadata.getController(cls) !== undefined) {
    registry.controller(cls);
    return [cls];
  }
  if (metadata.getModule(cls) !== undefined) {
    registry.module(cls);
    const def = metadata.getModule(cls);
    return registry.modules.get(def?.name ?? cls.name)?.controllers ?? [];
  }
  throw new LokstraError('LKS_ERR_DECORATOR_NOT_CONTROLLER', { target: cls.name });
}

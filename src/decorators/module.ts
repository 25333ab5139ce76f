import { metadata } from '../metadata/store';
import { DEFINED_MODULE, isDefinedModule } from '../metadata/defined-module';
import type { DefinedModule, ModuleDefinition } from '../metadata/types';

/**
 * Groups controllers, services, handlers, middleware and service factories into a module.
 * @example
 * @Module({ controllers: [UserController], services: [UserService] })
 * export class UserModule {}
 */
export function Module(definition: ModuleDefinition): ClassDecorator {
  return (target) => metadata.setModule(target, definition);
}

/**
 * Defines a module as an object (no class), e.g. for plain-function handlers.
 * @example
 * export const health = defineModule({ name: 'health', handlers: { ping: () => 'pong' } });
 */
export function defineModule(definition: ModuleDefinition & { name: string }): DefinedModule {
  return Object.freeze({ ...definition, [DEFINED_MODULE]: true as const });
}

export { isDefinedModule };

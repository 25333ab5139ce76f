import { LokstraError } from '../errors/lokstra-error';
import { isDefinedModule } from '../metadata/defined-module';
import { metadata } from '../metadata/store';
import type { MiddlewareFactory, ModuleDefinition, ModuleRef, ServiceFactory } from '../metadata/types';
import type { Class, Newable } from '../internal/types';

/** A handler registered by name: a function, or a controller method. */
export type HandlerEntry =
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  | { kind: 'function'; fn: (...args: any[]) => unknown }
  | { kind: 'method'; controller: Class; method: string | symbol };

/** A middleware factory with its priority (lower runs outer). */
export interface MiddlewareEntry {
  factory: MiddlewareFactory;
  priority: number;
}

/** A module as registered: its name and what it contributed. */
export interface ModuleRecord {
  name: string;
  controllers: Class[];
  requiredServices: string[];
  settings: Class | Record<string, unknown> | undefined;
}

/** Options of {@link Registry.middleware}. */
export interface MiddlewareOptions {
  /** Lower runs outer; default 50. */
  priority?: number;
}

/**
 * Everything one Lokstra instance knows by name: handlers, middleware factories, service
 * factories, controllers, modules and service classes. Never shared between instances.
 */
export class Registry {
  readonly handlers = new Map<string, HandlerEntry>();
  readonly middlewares = new Map<string, MiddlewareEntry>();
  readonly serviceFactories = new Map<string, ServiceFactory>();
  readonly controllers = new Map<string, Class>();
  readonly modules = new Map<string, ModuleRecord>();
  readonly services: Newable[] = [];
  private readonly seenModules = new Set<unknown>();

  /** Registers a named handler. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  handler(name: string, fn: (...args: any[]) => unknown): this {
    this.unique(this.handlers, 'handler', name);
    this.handlers.set(name, { kind: 'function', fn });
    return this;
  }

  /** Registers a middleware factory `(config) => (ctx, next) => …` under a name. */
  middleware(name: string, factory: MiddlewareFactory, options: MiddlewareOptions = {}): this {
    this.unique(this.middlewares, 'middleware', name);
    this.middlewares.set(name, { factory, priority: options.priority ?? 50 });
    return this;
  }

  /** Registers a service factory under a type name (`my.repo`). */
  serviceFactory(type: string, factory: ServiceFactory): this {
    this.unique(this.serviceFactories, 'service factory', type);
    this.serviceFactories.set(type, factory);
    return this;
  }

  /** Registers a service class. */
  service(cls: Newable): this {
    if (!this.services.includes(cls)) this.services.push(cls);
    return this;
  }

  /** Registers a controller class and its `@Handler` names. */
  controller(cls: Class): this {
    if (metadata.getController(cls) === undefined) throw new LokstraError('LKS_ERR_DECORATOR_NOT_CONTROLLER', { target: cls.name });
    const existing = this.controllers.get(cls.name);
    if (existing === cls) return this;
    if (existing !== undefined) throw new LokstraError('LKS_ERR_DI_DUPLICATE', { kind: 'controller', name: cls.name });
    this.controllers.set(cls.name, cls);
    for (const { name, propertyKey } of metadata.getHandlerNames(cls)) {
      this.unique(this.handlers, 'handler', name);
      this.handlers.set(name, { kind: 'method', controller: cls, method: propertyKey });
    }
    return this;
  }

  /** Registers a module (class with `@Module` or a `defineModule` object) and its imports. */
  module(ref: ModuleRef): this {
    if (this.seenModules.has(ref)) return this;
    const def: ModuleDefinition | undefined = isDefinedModule(ref) ? ref : metadata.getModule(ref as Class);
    if (def === undefined) throw new LokstraError('LKS_ERR_DECORATOR_NOT_CONTROLLER', { target: (ref as Class).name ?? String(ref) });
    this.seenModules.add(ref);
    const name = def.name ?? (ref as Class).name;
    this.unique(this.modules, 'module', name);
    for (const imported of def.imports ?? []) this.module(imported);
    for (const svc of def.services ?? []) this.service(svc as Newable);
    for (const ctl of def.controllers ?? []) this.controller(ctl);
    for (const [n, fn] of Object.entries(def.handlers ?? {})) this.handler(n, fn);
    for (const [n, f] of Object.entries(def.middleware ?? {})) this.middleware(n, f);
    for (const [n, f] of Object.entries(def.serviceFactories ?? {})) this.serviceFactory(n, f);
    this.modules.set(name, { name, controllers: [...(def.controllers ?? [])], requiredServices: [...(def.requiredServices ?? [])], settings: def.settings });
    return this;
  }

  private unique(map: Map<string, unknown>, kind: string, name: string): void {
    if (map.has(name)) throw new LokstraError('LKS_ERR_DI_DUPLICATE', { kind, name });
  }
}

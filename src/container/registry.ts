import type Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv/dist/2020';
import { LokstraError } from '../errors/lokstra-error';
import { optional } from '../internal/optional';
import { isDefinedModule } from '../metadata/defined-module';
import { metadata } from '../metadata/store';
import type { MiddlewareFactory, ModuleDefinition, ModuleRef, Provider, ServiceFactory } from '../metadata/types';
import { checkProvider } from './providers';
import type { Class, Newable } from '../internal/types';
import type { FastifyMiddleware } from '../middleware/types';

/** A handler registered by name: a function, or a controller method. */
export type HandlerEntry =
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  | { kind: 'function'; fn: (...args: any[]) => unknown }
  | { kind: 'method'; controller: Class; method: string | symbol };

/**
 * A registered middleware: a `(config) => (ctx, next)` factory that wraps the handler, or a
 * Fastify-phase middleware that contributes route options and hooks; its priority (lower runs
 * outer within its phase) and, when given, the validator of its config.
 */
export interface MiddlewareEntry {
  name: string;
  factory: MiddlewareFactory | undefined;
  fastify: FastifyMiddleware | undefined;
  priority: number;
  /** Checks a config at boot; returns error text, or `undefined` when valid. */
  validate: ((config: Record<string, unknown>) => string | undefined) | undefined;
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
  /** Lower runs outer within its phase; default 50. */
  priority?: number;
  /** JSON Schema (2020-12) of the middleware's config, checked with ajv at boot for every use. */
  configSchema?: Record<string, unknown>;
  /** Other names for the same middleware (e.g. `gzipcompression` for `compression`). */
  aliases?: string[];
}

let ajv: Ajv2020 | undefined;

/**
 * The validator of a middleware's config, compiled on first use (at boot, when a config names the
 * middleware): registering the built-ins costs nothing, and apps that use none never load ajv.
 */
function compileConfigSchema(name: string, schema: Record<string, unknown>): (config: Record<string, unknown>) => string | undefined {
  let check: ValidateFunction | undefined;
  return (config) => {
    if (check === undefined) {
      try {
        ajv ??= new (optional.ajv2020())({ allErrors: true, strict: false });
        check = ajv.compile(schema);
      } catch (err) {
        throw new LokstraError('LKS_ERR_MIDDLEWARE_INVALID', { name, detail: `its configSchema does not compile: ${(err as Error).message}` });
      }
    }
    if (check(config)) return undefined;
    return (check.errors ?? []).map((e) => {
      const at = e.instancePath === '' ? 'config' : `config${e.instancePath.replace(/\//g, '.')}`;
      const extra = e.keyword === 'additionalProperties' ? ` '${String((e.params as { additionalProperty: string }).additionalProperty)}'` : '';
      return `${at} ${e.message ?? 'is invalid'}${extra}`;
    }).join('; ');
  };
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
  /** Module `providers` other than plain classes (those go to `services`), in registration order. */
  readonly providers: Exclude<Provider, Class>[] = [];
  private readonly seenModules = new Set<unknown>();

  /** Registers a named handler. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  handler(name: string, fn: (...args: any[]) => unknown): this {
    this.unique(this.handlers, 'handler', name);
    this.handlers.set(name, { kind: 'function', fn });
    return this;
  }

  /**
   * Registers a middleware under a name: a factory `(config) => (ctx, next) => …` that wraps the
   * handler, or a {@link FastifyMiddleware} (`{ build, setup? }`) that contributes Fastify route
   * options, hooks and plugins. Its config is validated at boot against `configSchema`.
   * @example
   * registry.middleware('audit', (config) => async (ctx, next) => { const res = await next(); audit(ctx, config); return res; },
   *   { priority: 60, configSchema: { type: 'object', additionalProperties: false, properties: { topic: { type: 'string' } } } });
   */
  middleware(name: string, impl: MiddlewareFactory | FastifyMiddleware, options: MiddlewareOptions = {}): this {
    const isFactory = typeof impl === 'function';
    if (!isFactory && (typeof impl !== 'object' || impl === null || typeof impl.build !== 'function')) {
      throw new LokstraError('LKS_ERR_MIDDLEWARE_INVALID', { name, detail: 'expected a factory (config) => (ctx, next) => … or an object with build(config, env)' });
    }
    const names = [name, ...(options.aliases ?? [])];
    for (const n of names) this.unique(this.middlewares, 'middleware', n);
    const validate = options.configSchema === undefined ? undefined : compileConfigSchema(name, options.configSchema);
    for (const n of names) {
      this.middlewares.set(n, {
        name: n, factory: isFactory ? impl : undefined, fastify: isFactory ? undefined : impl, priority: options.priority ?? 50, validate,
      });
    }
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
    for (const p of def.providers ?? []) {
      if (typeof p === 'function') this.service(p as Newable);
      else this.providers.push(checkProvider(p, name));
    }
    for (const ctl of def.controllers ?? []) this.controller(ctl);
    for (const [n, fn] of Object.entries(def.handlers ?? {})) this.handler(n, fn);
    for (const [n, m] of Object.entries(def.middleware ?? {})) {
      if (typeof m === 'function') this.middleware(n, m);
      else this.middleware(n, (m.fastify ?? m.factory) as MiddlewareFactory, { priority: m.priority, configSchema: m.configSchema });
    }
    for (const [n, f] of Object.entries(def.serviceFactories ?? {})) this.serviceFactory(n, f);
    this.modules.set(name, { name, controllers: [...(def.controllers ?? [])], requiredServices: [...(def.requiredServices ?? [])], settings: def.settings });
    return this;
  }

  private unique(map: Map<string, unknown>, kind: string, name: string): void {
    if (map.has(name)) throw new LokstraError('LKS_ERR_DI_DUPLICATE', { kind, name });
  }
}

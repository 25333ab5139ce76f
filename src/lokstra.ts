import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { PROXY_BODY_MIDDLEWARE, proxyBody } from './static/proxy-body';
import { loadConfig } from './config/load';
import { addressKey, parseAddress, resolveSettings, type Settings } from './config/settings';
import type { LokstraConfig, ModuleConfig } from './config/types';
import { defaultResolvers, type EnvResolver } from './config/interpolate';
import { createConfigServices, declareConfigServices } from './container/config-services';
import { startAll, stopAll, type CreatedService } from './container/lifecycle';
import { Registry } from './container/registry';
import { ServiceContainer } from './container/service-container';
import { LokstraError } from './errors/lokstra-error';
import { App, appFromConfig, type AppHandle, type MountPlugin } from './http/app';
import { appHandle } from './http/app-lookup';
import { DtoPlanCache } from './http/binding/dto-binder';
import type { ContextRuntime } from './http/context';
import { Listener } from './http/listener';
import { boundAddress } from './http/bound-address';
import type { ErrorMapper } from './http/response/to-response';
import { compileApp, type CompiledRoute, type PrefixScope } from './http/routing/compile';
import { MiddlewareResolver } from './http/routing/middleware-chain';
import { isDefinedModule } from './metadata/defined-module';
import type { LifecycleState, ModuleRef } from './metadata/types';
import type { Class, Token } from './internal/types';
import { createLogger, type Logger } from './services/logger';
import { registerBuiltinServices } from './services/index';
import { registerBuiltinMiddleware } from './middleware/index';
import { loadYamlModules } from './container/yaml-modules';
import { bindModuleSettings } from './container/module-settings';
import { gatherContributions, type GatheredContributions } from './container/http-contributions';
import { applyMounts, collectMounts, mountContributedRoutes, registerMountPlugins } from './boot/mounts';
import { installSignals } from './boot/signals';

/** Options of `Lokstra.run`, `Lokstra.build` and `new Lokstra()`. */
export interface LokstraOptions {
  /** Module classes or `defineModule` objects registered before the config is applied. */
  modules?: ModuleRef[];
  /** Replace services by token (for tests). */
  overrides?: Iterable<[Token, unknown]> | Record<string, unknown>;
  /** Install SIGINT/SIGTERM handling (default true in `run`, false in `build`). */
  handleSignals?: boolean;
  /** Directory for config discovery and relative paths (default `process.cwd()`). */
  cwd?: string;
  /** Logger to use instead of the one built from `global_setting`. */
  logger?: Logger;
  /** Extra `${SOURCE:NAME}` resolvers for config interpolation. */
  resolvers?: Record<string, EnvResolver>;
  /** Map infrastructure errors (e.g. a database's) to responses. */
  errorMappers?: ErrorMapper[];
  /**
   * Called once per listener with its Fastify instance before routes are added: register Fastify
   * plugins or hooks underneath Lokstra (they see every request of the apps on that listener).
   */
  onFastify?: (fastify: FastifyInstance, apps: string[]) => void | Promise<void>;
}

/** A built (and, after `run`, listening) Lokstra deployment. */
export interface LokstraHandle {
  readonly apps: AppHandle[];
  /** The app with this name (`LKS_ERR_CONFIG_APP_NOT_FOUND`, listing the apps, otherwise). @example h.app('admin').inject('/stats') */
  app(name: string): AppHandle;
  readonly container: ServiceContainer;
  readonly registry: Registry;
  readonly settings: Settings;
  readonly logger: Logger;
  /** The routes of every app, as compiled (method, path, handler, app). */
  readonly routes: readonly CompiledRoute[];
  /** A service by class, name or symbol. */
  getService<T>(token: Token<T>): T;
  /** Readiness state: `ready` once built, `shuttingDown` (and not ready) from `close()`. */
  readonly lifecycle: LifecycleState;
  /** Starts listening on every app address (done by `run`). */
  listen(): Promise<void>;
  /** Drains and closes listeners, then stops services in reverse order. Idempotent. */
  close(): Promise<void>;
}

function toOverrideMap(o: LokstraOptions['overrides']): Map<Token, unknown> {
  if (o === undefined) return new Map();
  if (Symbol.iterator in Object(o)) return new Map(o as Iterable<[Token, unknown]>);
  return new Map(Object.entries(o as Record<string, unknown>));
}

/**
 * The framework facade. One instance = one registry and one container; instances never share state.
 * @example
 * const handle = await Lokstra.run('lokstra.config.yaml', { modules: [UserModule] });
 * // tests:
 * const app = await Lokstra.build(config, { modules: [UserModule] });
 * const res = await app.apps[0].inject({ method: 'GET', url: '/users/1' });
 */
export class Lokstra {
  readonly registry = new Registry();
  private readonly codeApps: App[] = [];
  private readonly options: LokstraOptions;

  constructor(options: LokstraOptions = {}) {
    this.options = options;
    registerBuiltinMiddleware(this.registry);
    this.registry.middleware(PROXY_BODY_MIDDLEWARE, proxyBody, { priority: 5 });
    registerBuiltinServices(this.registry);
    for (const m of options.modules ?? []) this.registry.module(m);
  }

  /** Loads, validates and builds everything, listens on every app and handles SIGINT/SIGTERM. */
  static async run(config?: string | LokstraConfig, options: LokstraOptions = {}): Promise<LokstraHandle> {
    return new Lokstra(options).run(config);
  }

  /** Builds everything without listening (use `apps[i].inject()` in tests). */
  static async build(config?: string | LokstraConfig, options: LokstraOptions = {}): Promise<LokstraHandle> {
    return new Lokstra(options).build(config);
  }

  /** Declares an app in code (besides those in the config). */
  app(name: string, address?: string | number): App {
    const app = new App(name, address);
    this.codeApps.push(app);
    return app;
  }

  async run(config?: string | LokstraConfig): Promise<LokstraHandle> {
    const handle = await this.build(config);
    try {
      await handle.listen();
    } catch (err) {
      await handle.close();
      throw err;
    }
    if (this.options.handleSignals !== false) installSignals(handle);
    return handle;
  }

  async build(config?: string | LokstraConfig): Promise<LokstraHandle> {
    const resolvers = new Map([...defaultResolvers(), ...Object.entries(this.options.resolvers ?? {})]);
    const loadOptions = this.options.cwd === undefined ? { resolvers } : { resolvers, cwd: this.options.cwd };
    const { config: cfg, source, warnings } = await loadConfig(config, loadOptions);
    const settings = resolveSettings(cfg.server?.global_setting);
    const logger = this.options.logger ?? createLogger({ level: settings.logLevel, format: settings.logFormat });
    for (const w of warnings) logger.warn(w, { code: 'LKS_WARN_CONFIG' });
    await this.registerModules(cfg.modules ?? [], source);
    // Mount folders are relative to the config file (or directory) that names them.
    const cwd = source ? (statSync(source).isDirectory() ? source : dirname(source)) : this.options.cwd ?? process.cwd();
    const apps = [...(cfg.apps ?? []).map((a, i) => applyMounts(appFromConfig(a, i, source), a, cwd)), ...this.codeApps];
    this.mountDefaults(apps, logger);
    const container = new ServiceContainer();
    for (const app of apps) collectMounts(app, this.registry);
    for (const svc of this.registry.services) container.addClass(svc);
    for (const p of this.registry.providers) container.addProvider(p);
    for (const ctl of this.registry.controllers.values()) container.addClass(ctl as never, { controller: true });
    declareConfigServices(cfg.services ?? [], this.registry, container);
    bindModuleSettings(cfg, this.registry, container, source);
    const overrides = toOverrideMap(this.options.overrides);
    this.checkRequiredServices(container, overrides);
    container.prepare(overrides);
    const started: CreatedService[] = [];
    const lifecycle = { ready: false, shuttingDown: false };
    try {
      await createConfigServices(cfg.services ?? [], this.registry, container, { lifecycle, apps: apps.map((a) => a.name) });
      await container.createSingletons();
      await startAll(container.created, settings.startTimeout, started);
      const contributions = gatherContributions(container.created, this.registry);
      mountContributedRoutes(apps, contributions);
      return await this.assemble({ apps, container, settings, logger, started, lifecycle, contributions });
    } catch (err) {
      // Stop everything created so far — resources such as pools exist before onStart, and a service
      // whose onStart failed or hung may hold timers or sockets — each bounded by shutdown_timeout.
      await stopAll(container.created, settings.shutdownTimeout, (e) => logger.error(e.message, { code: e.code }));
      throw err;
    }
  }

  private async registerModules(entries: (ModuleConfig | ModuleRef)[], source: string | undefined): Promise<void> {
    const refs = entries.filter((m): m is ModuleRef => typeof m === 'function' || isDefinedModule(m));
    for (const ref of refs) this.registry.module(ref);
    const yaml = entries.filter((m): m is ModuleConfig => typeof m === 'object' && !isDefinedModule(m));
    for (const ref of await loadYamlModules(yaml, source, this.options.cwd)) this.registry.module(ref);
    yaml.forEach((m, i) => {
      if (!this.registry.modules.has(m.name)) {
        throw new LokstraError('LKS_ERR_CONFIG_INVALID', {
          path: `modules[${i}].name`, detail: `no module named '${m.name}' is registered; registered: ${[...this.registry.modules.keys()].join(', ') || 'none'} (give a path, or pass the module in options.modules)`,
        });
      }
      for (const svc of m.required_services ?? []) this.registry.modules.get(m.name)?.requiredServices.push(svc);
    });
  }

  private mountDefaults(apps: App[], logger: Logger): void {
    if (apps.length === 1 && (apps[0] as App).isEmpty) {
      for (const ctl of this.registry.controllers.values()) (apps[0] as App).mount(ctl);
      return;
    }
    if (apps.length > 1) {
      const mounted = new Set<Class>();
      for (const app of apps) for (const c of collectMounts(app, this.registry)) mounted.add(c);
      for (const [name, ctl] of this.registry.controllers) {
        if (!mounted.has(ctl)) logger.warn(`controller ${name} is registered but mounted on no app`, { code: 'LKS_WARN_UNMOUNTED_CONTROLLER' });
      }
    }
  }

  // A required service may be supplied by an override alone (a test with no YAML services).
  private checkRequiredServices(container: ServiceContainer, overrides: ReadonlyMap<Token, unknown>): void {
    for (const mod of this.registry.modules.values()) {
      for (const svc of mod.requiredServices) {
        if (!container.isKnown(svc) && !overrides.has(svc)) throw new LokstraError('LKS_ERR_DI_MODULE_REQUIRES', { module: mod.name, service: svc });
      }
    }
  }

  private async assemble(parts: AssembleParts): Promise<LokstraHandle> {
    const { apps, container, settings, logger, started, lifecycle, contributions } = parts;
    const plans = new DtoPlanCache((message, meta) => logger.warn(message, meta));
    const resolver = new MiddlewareResolver(this.registry.middlewares, { container, logger });
    const runtime: ContextRuntime = { plans, logger, createRequestScope: () => container.createRequestScope() };
    const deps = { registry: this.registry, container, plans, middleware: resolver };
    const mappers = [...(this.options.errorMappers ?? []), ...(contributions.errorMappers as ErrorMapper[])];
    const listeners = new Map<string, Listener>();
    const appHandles: AppHandle[] = [];
    const routes: CompiledRoute[] = [];
    const byListener = new Map<Listener, CompiledRoute[]>();
    const prefixScopes = new Map<Listener, PrefixScope[]>();
    const plugins = new Map<Listener, Set<MountPlugin>>();
    for (const app of apps) {
      const address = parseAddress(app.address, `apps.${app.name}.address`);
      const key = addressKey(address);
      let listener = listeners.get(key);
      if (listener === undefined) {
        listener = new Listener({ address, settings, runtime, logger, mappers, handlers: this.registry.handlers });
        listeners.set(key, listener);
      }
      listener.apps.push(app.name);
      for (const p of app.plugins) plugins.set(listener, new Set([...(plugins.get(listener) ?? []), p]));
      const scopes = prefixScopes.get(listener) ?? [];
      prefixScopes.set(listener, scopes);
      const compiled = compileApp(app.name, app, deps, scopes);
      routes.push(...compiled);
      byListener.set(listener, [...(byListener.get(listener) ?? []), ...compiled]);
      const fastify = listener.fastify;
      appHandles.push({ name: app.name, address: key, url: undefined, fastify, inject: (o) => fastify.inject(o as never) as never });
    }
    for (const [listener, list] of byListener) {
      await registerMountPlugins(listener.fastify, plugins.get(listener));
      for (const hook of contributions.onListener) await hook(listener.fastify, [...listener.apps]);
      await this.options.onFastify?.(listener.fastify, [...listener.apps]);
      await listener.addRoutes(list, prefixScopes.get(listener));
    }
    for (const r of routes) logger.debug('route', { app: r.app, method: r.method, path: r.url, handler: r.handlerName, middleware: r.middleware });
    lifecycle.ready = true;
    let closed: Promise<void> | undefined;
    const handle: LokstraHandle = {
      apps: appHandles, container, registry: this.registry, settings, logger, routes,
      getService: <T>(token: Token<T>): T => container.get(token),
      app: (name) => appHandle(appHandles, name),
      lifecycle,
      listen: async () => {
        for (const listener of listeners.values()) {
          const url = await listener.listen();
          for (const h of appHandles) if (listener.apps.includes(h.name)) h.url = url;
          const bound = boundAddress(listener.fastify.server, url);
          logger.info(`listening on ${bound.message}`, { apps: listener.apps, ...bound.meta });
        }
      },
      close: () => (closed ??= (async () => {
        lifecycle.shuttingDown = true;
        lifecycle.ready = false;
        await Promise.all([...listeners.values()].map((l) => l.close(settings.shutdownTimeout)));
        await stopAll(started, settings.shutdownTimeout, (e) => logger.error(e.message, { code: e.code }));
      })()),
    };
    return handle;
  }
}

interface AssembleParts {
  apps: App[];
  container: ServiceContainer;
  settings: Settings;
  logger: Logger;
  started: CreatedService[];
  lifecycle: { ready: boolean; shuttingDown: boolean };
  contributions: GatheredContributions;
}

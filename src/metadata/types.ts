import type { Class, Token } from '../internal/types';
import type { FastifyMiddleware, MiddlewareEnv } from '../middleware/types';

/** HTTP methods a route can declare; `ALL` means every method. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS' | 'ALL';

/** Where a bound value comes from. */
export type BindSource = 'path' | 'query' | 'header' | 'body';

/** One `@Returns` declaration: the `data` class (or `[Class]` for an array) of the responses with `status`. */
export interface ReturnsMeta {
  type: Class;
  array: boolean;
  /** Default 200. */
  status: number;
  description: string | undefined;
}

/** What `@Doc` adds to a route's OpenAPI operation (or, on a class, to every route of a controller). */
export interface DocMeta {
  summary?: string;
  description?: string;
  tags?: string[];
  deprecated?: boolean;
  /** Replaces the generated `operationId` (`<Controller>_<method>`). */
  operation_id?: string;
}

/** Options of the source decorators. */
export interface SourceOptions {
  /** Value must be present (path values always are). */
  required?: boolean;
  /** Element or value type when `design:type` cannot tell (arrays, interfaces). */
  type?: 'string' | 'number' | 'boolean' | 'date' | Class;
}

/** Content families a route accepts for its body. */
export type AcceptKind = 'json' | 'form' | 'multipart';

/** A middleware reference as written in decorators or code: a function, a registered name, or a name with config. */
export type MiddlewareRef = MiddlewareFn | string | { name: string; config?: Record<string, unknown> };

/**
 * The request and response types middleware sees. `http/middleware-types.ts` fills them in by
 * declaration merging (`context: Context; response: Response`), which keeps this bottom layer free
 * of imports from `http/` (a type import would close a cycle through the binders).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface MiddlewareTypes {}
type MiddlewareContext = MiddlewareTypes extends { context: infer C } ? C : unknown;
type MiddlewareResponse = MiddlewareTypes extends { response: infer R } ? R : unknown;
/** The request `Context` type, as decorators and modules see it. */
export type RequestContext = MiddlewareContext;

/**
 * `(ctx, next) => result`: `ctx` is the request `Context`; `next()` resolves to the
 * `Response` about to be sent (read or change it, or return another value/Response).
 * @example
 * const timing: MiddlewareFn = async (ctx, next) => {
 *   const started = Date.now();
 *   const res = await next();
 *   return res.withHeader('x-response-time', `${Date.now() - started}ms`);
 * };
 */
export type MiddlewareFn = (ctx: RequestContext, next: () => Promise<MiddlewareResponse>) => unknown;

export interface ControllerMeta {
  prefix: string;
}

export interface RouteMeta {
  method: HttpMethod;
  path: string;
  propertyKey: string | symbol;
}

export type ParamMeta =
  | { index: number; kind: 'source'; source: BindSource; name: string | undefined; options: SourceOptions }
  | { index: number; kind: 'bind'; dto: Class | undefined }
  | { index: number; kind: 'ctx' }
  | { index: number; kind: 'custom'; resolve: (ctx: RequestContext, data: unknown) => unknown; data: unknown };

export interface PropertyMeta {
  property: string;
  source: BindSource;
  name: string;
  options: SourceOptions;
}

/** Service lifetimes. */
export type Scope = 'singleton' | 'transient' | 'request';

export interface ServiceMeta {
  scope: Scope;
  name: string | symbol | undefined;
}

/** Keys of a module definition (`@Module` or `defineModule`). */
export interface ModuleDefinition {
  name?: string;
  imports?: ModuleRef[];
  controllers?: Class[];
  services?: Class[];
  /**
   * NestJS-style providers: a class (like `services`), `{ provide, useValue }`,
   * `{ provide, useFactory, inject?, scope? }` (may be async for singletons) or `{ provide, useClass, scope? }`.
   */
  providers?: Provider[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  handlers?: Record<string, (...args: any[]) => unknown>;
  middleware?: Record<string, MiddlewareFactory | MiddlewareDefinition>;
  serviceFactories?: Record<string, ServiceFactory>;
  requiredServices?: string[];
  /**
   * Typed settings (YAML `modules[].settings`): a class-validator class, or a JSON Schema object.
   * Validated at boot and injectable as `<module name>.settings` (and by the class).
   */
  settings?: Class | Record<string, unknown>;
}

/**
 * What a module provides under a token: a class, a ready value, a factory's result (its `inject`
 * tokens resolved and passed in order; `() => Class` is lazy) or an instance of another class.
 * @example
 * providers: [
 *   { provide: 'app.name', useValue: 'shop' },
 *   { provide: Mailer, useClass: SmtpMailer },
 *   { provide: 'db', inject: [DbSettings], useFactory: async (s: DbSettings) => connect(s.url) },
 * ]
 */
export type Provider =
  | Class
  | { provide: Token; useValue: unknown }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  | { provide: Token; useFactory: (...deps: any[]) => unknown; inject?: (Token | (() => Class))[]; scope?: Scope }
  | { provide: Token; useClass: Class; scope?: Scope };

/** A module class or a `defineModule` object. */
export type ModuleRef = Class | DefinedModule;

/** What `defineModule` returns. */
export interface DefinedModule extends ModuleDefinition {
  readonly name: string;
  readonly [key: symbol]: true;
}

/** What a middleware factory is given: its config again, the deployment's container and logger. */
export interface MiddlewareFactoryEnv extends MiddlewareEnv {
  /** The same config as the first argument (so a factory may destructure everything from here). */
  config: Record<string, unknown>;
}

/**
 * Creates a middleware from its YAML/code config, once per attachment at boot (after services are
 * created, so `env.container.get(token)` returns them). Factories written as `(config) => fn` work too.
 * @example
 * const jwt: MiddlewareFactory = (config, { container, logger }) => {
 *   const verifier = container.get<TokenVerifier>('tokens');
 *   return async (ctx, next) => { ctx.set('user', verifier.verify(ctx.headers.authorization)); return next(); };
 * };
 */
export type MiddlewareFactory = (config: Record<string, unknown>, env: MiddlewareFactoryEnv) => MiddlewareFn;

/**
 * A middleware as a module declares it when it needs more than a factory: a `(ctx, next)` factory
 * or a Fastify-phase implementation, with its priority and the JSON Schema of its config.
 */
export interface MiddlewareDefinition {
  factory?: MiddlewareFactory;
  fastify?: FastifyMiddleware;
  priority?: number;
  configSchema?: Record<string, unknown>;
}

/** What a service factory is given besides its config. */
export interface ServiceFactoryContext {
  /** The service's name (`db.main`). */
  name: string;
  getService<T>(token: Token<T>): T;
  /** The deployment's lifecycle state (readiness probes read it). */
  lifecycle: LifecycleState;
  /** Names of the apps in the config, in declaration order. */
  apps: readonly string[];
  /** Every service created so far (name and instance), e.g. for a health service to find checks. */
  listServices(): readonly { name: string; instance: unknown }[];
}

/** Where a deployment is in its life: `ready` once built; `shuttingDown` (and not ready) from `close()`. */
export interface LifecycleState {
  readonly ready: boolean;
  readonly shuttingDown: boolean;
}

/** A route a service contributes (health endpoints…), mounted on the named apps (default: the first app). */
export interface ContributedRoute {
  apps?: string[];
  method: HttpMethod;
  path: string;
  /** A handler name (from `handlers` of the same contribution, or any registered one). */
  handler: string;
  /** `false`: the route skips the app's middleware (probes behind app auth). Default: the app's middleware applies. */
  middleware?: false;
}

/**
 * What a built-in or user service adds to the HTTP side, read once at boot from every created
 * service that has a `[HTTP_CONTRIBUTION]()` method: named handlers, routes, and per-listener
 * Fastify hooks (`fastify` is a FastifyInstance; typed loosely so services need not import Fastify).
 */
export interface HttpContribution {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  handlers?: Record<string, (ctx: any) => unknown>;
  routes?: ContributedRoute[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  onListener?: (fastify: any, apps: string[]) => void | Promise<void>;
  /**
   * Maps errors this service's library throws (e.g. pg's) to responses: return a `Response`
   * (or `HttpError`-like envelope) or `undefined` when the error is not yours.
   */
  errorMappers?: ((error: unknown) => unknown)[];
}

/** The method name (a symbol) a service implements to contribute HTTP handlers, routes and hooks. */
export const HTTP_CONTRIBUTION = Symbol.for('lokstra.http-contribution');

/** Creates a named service from its YAML config; may be async. */
export type ServiceFactory = (config: Record<string, unknown>, ctx: ServiceFactoryContext) => unknown;

export type { Class, Token };

import type { AcceptKind, HttpMethod, MiddlewareRef, ModuleRef } from '../../metadata/types';
import type { Class } from '../../internal/types';
import type { BoundHandler } from './bind-handler';
import type { ErrorFormatter, ScopeOptions } from '../contract/types';

/** What a route can run: a function `(ctx) => result`, a `bind(Dto, fn)` handler, or a registered handler name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type HandlerLike = string | ((ctx: any) => unknown) | BoundHandler;

/** A route as declared, before it is compiled. */
export interface RouteDefinition {
  method: HttpMethod;
  path: string;
  handler: HandlerLike;
  middleware: MiddlewareRef[];
  override: boolean;
  accepts: AcceptKind[] | undefined;
  /** Response shaping of this route (`envelope: false` in YAML); `undefined` inherits. */
  scope?: ScopeOptions | undefined;
  /** Where it was declared, for boot errors (`apps[0].routes[2]`, `UserController.get`). */
  source: string;
}

/** Options of `mount`. */
export interface MountOptions {
  prefix?: string;
  middleware?: MiddlewareRef[];
}

/** A controller class, a module, or a registered controller/module name, mounted on a router. */
export interface MountDefinition {
  target: Class | ModuleRef | string;
  options: MountOptions;
  source: string;
}

/** Joins path segments NestJS-style: `/users` + `/` is `/users`; Go's `{id}` and `*name` are translated. */
export function joinPath(...parts: string[]): string {
  const joined = parts
    .map((p) => p.trim())
    .filter((p) => p !== '' && p !== '/')
    .map((p) => '/' + p.replace(/^\/+|\/+$/g, ''))
    .join('');
  return (joined || '/').replace(/\{(\w+)\}/g, ':$1').replace(/\/\*\w+$/, '/*');
}

/**
 * Routes and middleware at one level: an app's root or a group. Groups nest without limit.
 * @example
 * const v1 = app.group('/api/v1', 'auth');
 * v1.get('/ping', (ctx) => ctx.ok('pong'));
 */
export class Router {
  readonly prefix: string;
  readonly parent: Router | undefined;
  readonly middleware: MiddlewareRef[] = [];
  readonly routes: RouteDefinition[] = [];
  readonly groups: Router[] = [];
  readonly mounts: MountDefinition[] = [];
  override = false;
  accepts: AcceptKind[] | undefined;
  source: string;
  /** Response shaping of this level (envelope, error formatter, validation status); inner levels override. */
  readonly scope: ScopeOptions = {};

  constructor(prefix = '', parent?: Router, source = 'code') {
    this.prefix = prefix;
    this.parent = parent;
    this.source = source;
  }

  /** The full prefix from the app root. */
  get fullPrefix(): string {
    return this.parent ? joinPath(this.parent.fullPrefix, this.prefix) : joinPath(this.prefix);
  }

  handle(method: HttpMethod | Lowercase<HttpMethod>, path: string, handler: HandlerLike, ...middleware: MiddlewareRef[]): this {
    this.routes.push({
      method: method.toUpperCase() as HttpMethod, path, handler, middleware, override: false, accepts: undefined,
      source: `${this.source} ${method.toUpperCase()} ${path}`,
    });
    return this;
  }
  get(path: string, handler: HandlerLike, ...mw: MiddlewareRef[]): this { return this.handle('GET', path, handler, ...mw); }
  post(path: string, handler: HandlerLike, ...mw: MiddlewareRef[]): this { return this.handle('POST', path, handler, ...mw); }
  put(path: string, handler: HandlerLike, ...mw: MiddlewareRef[]): this { return this.handle('PUT', path, handler, ...mw); }
  patch(path: string, handler: HandlerLike, ...mw: MiddlewareRef[]): this { return this.handle('PATCH', path, handler, ...mw); }
  delete(path: string, handler: HandlerLike, ...mw: MiddlewareRef[]): this { return this.handle('DELETE', path, handler, ...mw); }
  head(path: string, handler: HandlerLike, ...mw: MiddlewareRef[]): this { return this.handle('HEAD', path, handler, ...mw); }
  options(path: string, handler: HandlerLike, ...mw: MiddlewareRef[]): this { return this.handle('OPTIONS', path, handler, ...mw); }
  all(path: string, handler: HandlerLike, ...mw: MiddlewareRef[]): this { return this.handle('ALL', path, handler, ...mw); }

  /** Adds middleware to this level; it also covers routes added before the call. */
  use(...middleware: MiddlewareRef[]): this {
    this.middleware.push(...middleware);
    return this;
  }

  /** A nested group under `prefix` with its own middleware. */
  group(prefix: string, ...middleware: MiddlewareRef[]): Router {
    const child = new Router(prefix, this, `${this.source} group ${prefix}`);
    child.use(...middleware);
    this.groups.push(child);
    return child;
  }

  /** Drops middleware inherited from outer levels for this group's routes. */
  overrideMiddleware(override = true): this {
    this.override = override;
    return this;
  }

  /**
   * Shapes every error of this level and below (404/405 under its prefix included) with `fn`, or
   * with the handler registered under that name; `validationStatus` sets the status of
   * `VALIDATION_ERROR` alone (e.g. 422).
   * @example
   * app.group('/api').errorFormat((e) => ({ status: e.status, body: { errors: e.fields ?? { body: [e.message] } } }), { validationStatus: 422 });
   */
  errorFormat(fn: ErrorFormatter | string, options: { validationStatus?: number } = {}): this {
    this.scope.errorFormat = fn;
    if (options.validationStatus !== undefined) this.scope.validationStatus = options.validationStatus;
    return this;
  }

  /** `false`: handler values are sent as plain JSON instead of Lokstra's envelope (errors keep the envelope unless an error formatter is set). */
  envelope(enabled: boolean): this {
    this.scope.envelope = enabled;
    return this;
  }

  /** Mounts a decorated controller, a module (all its controllers) or a registered name here. */
  mount(target: Class | ModuleRef | string, options: MountOptions = {}): this {
    this.mounts.push({ target, options, source: `${this.source} mount ${typeof target === 'string' ? target : (target as { name?: string }).name ?? '?'}` });
    return this;
  }
}

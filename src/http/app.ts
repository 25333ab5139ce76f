import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { AppConfig, GroupConfig, OpenApiConfig, RouteConfig } from '../config/types';
import type { MiddlewareRef } from '../metadata/types';
import { formatPosition, positionOf } from '../config/positions';
import { Router } from './routing/router';

/** A Fastify plugin a mount needs on its listener (`@fastify/static` for static, SPA and HTMX mounts), loaded only then. */
export type MountPlugin = 'static';

/**
 * An app: a name, an address and a router. Apps on the same address share one listener, each with
 * its own middleware tree.
 * @example
 * const api = lokstra.app('api', ':8080');
 * api.mount(UserController).get('/health', (ctx) => ctx.ok('up'));
 */
export class App extends Router {
  readonly name: string;
  readonly address: string | number | undefined;
  /** Plugins this app's mounts need on its listener. */
  readonly plugins = new Set<MountPlugin>();
  /** Where this app serves its OpenAPI document and Swagger UI (YAML `openapi:` or {@link App.openapi}). */
  openApiConfig: OpenApiConfig | undefined;

  constructor(name: string, address?: string | number, source = `app ${name}`) {
    super('', undefined, source);
    this.name = name;
    this.address = address;
  }

  /**
   * Serves an OpenAPI 3.1 document of this app's routes at `path` (default `/openapi.json`) and
   * Swagger UI at `ui` (default `/docs`), as the YAML key `openapi:` does.
   * @example
   * lokstra.app('api', ':8080').mount(UserController).openapi({ title: 'Users', version: '2.0.0' });
   */
  openapi(config: OpenApiConfig = {}): this {
    this.openApiConfig = config;
    return this;
  }

  /** True when nothing is routed or mounted on this app yet. */
  get isEmpty(): boolean {
    const empty = (r: Router): boolean => r.routes.length === 0 && r.mounts.length === 0 && r.groups.every(empty);
    return empty(this);
  }
}

/** A built app as the handle exposes it. */
export interface AppHandle {
  readonly name: string;
  /** The configured address; after `run`, the bound URL is in `url`. */
  readonly address: string;
  url: string | undefined;
  /** The Fastify instance of this app's listener (shared by apps on the same address). */
  readonly fastify: FastifyInstance;
  /** In-process request (Fastify's `inject`), for tests. */
  inject(options: InjectOptions | string): Promise<LightMyRequestResponse>;
}

// `file:line:col key.path` when the config came from YAML (positions ride on the parsed objects), else the key path.
function at(owner: object, keys: (string | number)[], path: string): string {
  const pos = positionOf(owner, keys);
  return pos === undefined ? path : `${formatPosition(pos)} ${path}`;
}

function addRoutes(router: Router, routes: RouteConfig[] | undefined, where: string, owner: object): void {
  (routes ?? []).forEach((r, i) => {
    router.handle(r.method, r.path, r.handler, ...((r.middleware ?? []) as MiddlewareRef[]));
    const def = router.routes[router.routes.length - 1];
    if (def === undefined) return;
    def.source = at(owner, ['routes', i, 'handler'], `${where}.routes[${i}].handler`);
    def.override = r.override_middleware === true;
    def.accepts = r.accepts;
    if (r.envelope !== undefined) def.scope = { envelope: r.envelope };
  });
}

function applyGroup(router: Router, g: GroupConfig | AppConfig, where: string): void {
  router.use(...((g.middleware ?? []) as MiddlewareRef[]));
  if (g.middleware !== undefined) router.source = at(g, ['middleware'], `${where}.middleware`);
  if (g.accepts !== undefined) router.accepts = g.accepts;
  if (g.envelope !== undefined) router.scope.envelope = g.envelope;
  if (g.error_format !== undefined) router.scope.errorFormat = g.error_format;
  if (g.validation_status !== undefined) router.scope.validationStatus = g.validation_status;
  if ('override_middleware' in g) router.override = g.override_middleware === true;
  (g.controllers ?? []).forEach((c, i) => {
    router.mount(c);
    const m = router.mounts[router.mounts.length - 1];
    if (m) m.source = at(g, ['controllers', i], `${where}.controllers[${i}]`);
  });
  addRoutes(router, g.routes, where, g);
  (g.groups ?? []).forEach((child, i) => {
    const sub = router.group(child.prefix);
    applyGroup(sub, child, `${where}.groups[${i}]`);
  });
}

/** Builds an App from its config entry (`apps[i]`). */
export function appFromConfig(config: AppConfig, index: number, file: string | undefined): App {
  const where = `apps[${index}]`;
  const app = new App(config.name, config.address, file && positionOf(config, []) === undefined ? `${file} ${where}` : where);
  applyGroup(app, config, where);
  if (config.openapi !== undefined) app.openapi(config.openapi);
  return app;
}

import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { AppConfig, GroupConfig, RouteConfig } from '../config/types';
import type { MiddlewareRef } from '../metadata/types';
import { Router } from './routing/router';

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

  constructor(name: string, address?: string | number, source = `app ${name}`) {
    super('', undefined, source);
    this.name = name;
    this.address = address;
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

function addRoutes(router: Router, routes: RouteConfig[] | undefined, where: string): void {
  (routes ?? []).forEach((r, i) => {
    router.handle(r.method, r.path, r.handler, ...((r.middleware ?? []) as MiddlewareRef[]));
    const def = router.routes[router.routes.length - 1];
    if (def === undefined) return;
    def.source = `${where}.routes[${i}]`;
    def.override = r.override_middleware === true;
    def.accepts = r.accepts;
  });
}

function applyGroup(router: Router, g: GroupConfig | AppConfig, where: string): void {
  router.use(...((g.middleware ?? []) as MiddlewareRef[]));
  if (g.accepts !== undefined) router.accepts = g.accepts;
  if ('override_middleware' in g) router.override = g.override_middleware === true;
  (g.controllers ?? []).forEach((c, i) => {
    router.mount(c);
    const m = router.mounts[router.mounts.length - 1];
    if (m) m.source = `${where}.controllers[${i}]`;
  });
  addRoutes(router, g.routes, where);
  (g.groups ?? []).forEach((child, i) => {
    const sub = router.group(child.prefix);
    sub.source = `${where}.groups[${i}]`;
    applyGroup(sub, child, sub.source);
  });
}

/** Builds an App from its config entry (`apps[i]`). */
export function appFromConfig(config: AppConfig, index: number, file: string | undefined): App {
  const where = `${file ? file + ' ' : ''}apps[${index}]`;
  const app = new App(config.name, config.address, where);
  applyGroup(app, config, where);
  return app;
}

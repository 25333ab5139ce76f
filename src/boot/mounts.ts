import { statSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { AppConfig, StaticMountConfig } from '../config/types';
import type { GatheredContributions } from '../container/http-contributions';
import type { Registry } from '../container/registry';
import { LokstraError } from '../errors/lokstra-error';
import { mountHtmx, mountHtmxAssets } from '../htmx/htmx-mount';
import type { App, MountPlugin } from '../http/app';
import { resolveControllers } from '../http/routing/resolve-controllers';
import { optional } from '../internal/optional';
import type { Class } from '../internal/types';
import { mountOpenApi } from '../openapi/mount';
import { mountReverseProxy } from '../static/proxy-mount';
import { mountStatic } from '../static/static-mount';

// Boot stage "register": what apps mount besides their routes — YAML mounts, routes contributed by
// services, the controllers mounted — and the Fastify plugins those mounts need on a listener.

/** Applies an app's YAML mounts (static, SPA, HTMX, reverse proxy): ordinary routes of the app, so app middleware guards them too. */
export function applyMounts(app: App, config: AppConfig, cwd: string): App {
  const cfg = config;
  const folders = (m: StaticMountConfig): string[] => ([] as string[]).concat(m.folder);
  if ((cfg.mount_static ?? []).length + (cfg.mount_spa ?? []).length + (cfg.mount_htmx ?? []).length > 0) app.plugins.add('static');
  for (const m of cfg.mount_static ?? []) mountStatic(app, { prefix: m.prefix, folders: folders(m), spa: m.spa === true }, cwd);
  for (const m of cfg.mount_spa ?? []) mountStatic(app, { prefix: m.prefix, folders: folders(m), spa: true }, cwd);
  if ((cfg.mount_htmx ?? []).length > 0) mountHtmxAssets(app);
  for (const m of cfg.mount_htmx ?? []) mountHtmx(app, m, cwd);
  for (const m of cfg.mount_reverse_proxy ?? []) mountReverseProxy(app, m);
  return app;
}

/** Registers the reply decorators an app's mounts need, only on listeners that have such mounts. */
export async function registerMountPlugins(fastify: FastifyInstance, needs: ReadonlySet<MountPlugin> | undefined): Promise<void> {
  if (needs === undefined) return;
  const root = process.cwd();
  if (needs.has('static') && statSync(root).isDirectory()) await fastify.register(optional.fastifyStatic(), { root, serve: false });
}

/** Adds the routes services contribute (health, metrics…) to the apps they name, and each app's OpenAPI document and UI. */
export function mountContributedRoutes(apps: App[], contributions: GatheredContributions): void {
  for (const app of apps) mountOpenApi(app);
  for (const r of contributions.routes) {
    const targets = r.apps === undefined ? apps.slice(0, 1) : apps.filter((a) => r.apps?.includes(a.name));
    if (r.apps !== undefined && targets.length !== r.apps.length) {
      const known = apps.map((a) => a.name).join(', ') || 'none';
      throw new LokstraError('LKS_ERR_CONFIG_INVALID', { path: `services.${r.service}`, detail: `mounts on unknown app(s) ${r.apps.join(', ')}; apps: ${known}` });
    }
    for (const app of targets) {
      app.handle(r.method, r.path, r.handler);
      const def = app.routes[app.routes.length - 1];
      if (def) def.source = `service ${r.service}`;
      // `middleware: false` (health `mount.middleware`, metrics `middleware`): probes skip app auth.
      if (def && r.middleware === false) def.override = true;
    }
  }
}

/** Every controller class mounted anywhere in an app's router tree. */
export function collectMounts(app: App, registry: Registry): Class[] {
  const out: Class[] = [];
  const walk = (r: App['groups'][number] | App): void => {
    for (const m of r.mounts) out.push(...resolveControllers(m, registry));
    r.groups.forEach(walk);
  };
  walk(app);
  return out;
}


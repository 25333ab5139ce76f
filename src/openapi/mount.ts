import type { App } from '../http/app';
import type { Context } from '../http/context';
import { HttpError } from '../errors/http-error';
import { compiledRoutesOf } from '../http/routing/compile';
import { buildOpenApiDocument } from './document';
import { swaggerUi } from './swagger-ui';

/** The default `openapi.path` and `openapi.ui`. */
export const OPENAPI_DEFAULTS = { path: '/openapi.json', ui: '/docs' } as const;

/**
 * Adds the routes of an app's `openapi:` config: the document (built from the app's compiled routes
 * on its first request, then kept as text) and Swagger UI. Ordinary routes of the app: its
 * middleware (auth, CORS, security headers) covers them too.
 */
export function mountOpenApi(app: App): void {
  const cfg = app.openApiConfig;
  if (cfg === undefined) return;
  const path = cfg.path ?? OPENAPI_DEFAULTS.path;
  let text: string | undefined;
  const document = (ctx: Context): unknown => {
    text ??= JSON.stringify(buildOpenApiDocument(compiledRoutesOf(app) ?? [], { ...cfg, app: app.name }));
    return ctx.raw('application/json; charset=utf-8', text);
  };
  app.get(path, document);
  const source = (def: { source: string } | undefined, what = 'ui'): void => { if (def) def.source = `app ${app.name} openapi ${what}`; };
  source(app.routes[app.routes.length - 1], 'document');
  const ui = cfg.ui === false ? undefined : cfg.ui ?? OPENAPI_DEFAULTS.ui;
  if (ui === undefined) return;
  const page = swaggerUi(ui, path, cfg.title ?? app.name);
  app.get(ui, (ctx: Context) => ctx.html(page.html));
  source(app.routes[app.routes.length - 1]);
  app.get(`${ui.replace(/\/+$/, '')}/static/:file`, (ctx: Context) => {
    const asset = page.asset(String(ctx.params.file));
    if (asset === undefined) throw HttpError.notFound('Not found');
    return ctx.raw(asset.type, asset.body).withHeader('cache-control', 'public, max-age=3600');
  });
  source(app.routes[app.routes.length - 1]);
}

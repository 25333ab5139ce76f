import { isAbsolute, join, resolve } from 'node:path';
import { HttpError } from '../errors/http-error';
import type { Context } from '../http/context';
import { Response } from '../http/response/response';
import type { Router } from '../http/routing/router';
import { realInside } from '../static/real-path';
import { safeRelative } from '../static/static-mount';
import { CLIENT_SCRIPT } from './client-script';
import { inject, layoutOf, TemplateCache } from './templates';

/** Options of an HTMX mount (YAML `mount_htmx`). */
export interface HtmxMountOptions {
  prefix: string;
  /** Folders each holding `pages/` and `layouts/`, tried in order. */
  sources: string[];
}

/** Where the bundled scripts are served. */
export const HTMX_ASSETS = { htmx: '/_lokstra/htmx/htmx.min.js', client: '/_lokstra/htmx/lokstra-htmx.js' } as const;

interface PageData {
  title: string;
  description: string;
  data: Record<string, unknown>;
}

const EMPTY: PageData = { title: '', description: '', data: {} };

// Templates are looked up like static files: symlinks followed, the real path kept inside `<source>/<sub>`.
function findIn(roots: readonly string[], sub: string, rel: string): string | undefined {
  for (const root of roots) {
    const found = realInside(join(root, sub), rel);
    if (found?.stat.isFile()) return join(found.root, found.file);
  }
  return undefined;
}

// Page data comes from the handler routed at /page-data<prefix>/<page>, called in-process through
// Fastify's inject (the route's own middleware runs); a 404 there means "no data".
async function loadPageData(ctx: Context, url: string): Promise<PageData> {
  const server = (ctx.req as unknown as { server: { inject(o: object): Promise<{ statusCode: number; body: string }> } }).server;
  const forwarded: Record<string, string> = {};
  for (const h of ['cookie', 'authorization', 'accept-language']) {
    const v = ctx.headers[h];
    if (typeof v === 'string') forwarded[h] = v;
  }
  forwarded['x-request-id'] = ctx.requestId;
  const res = await server.inject({ method: 'GET', url, headers: forwarded });
  if (res.statusCode === 404) return EMPTY;
  if (res.statusCode >= 400) throw new HttpError(res.statusCode >= 500 ? 502 : res.statusCode, 'Page data unavailable');
  const body = JSON.parse(res.body) as { data?: Partial<PageData> };
  return { title: body.data?.title ?? '', description: body.data?.description ?? '', data: (body.data?.data ?? {}) as Record<string, unknown> };
}

/**
 * Mounts HTMX pages: `GET <prefix>/<page>` renders `pages/<page>.html` inside its layout. An htmx
 * request (`HX-Request: true`) whose `LS-Layout` equals the page's layout gets the page alone
 * (`HX-Partial: true`, `LS-Title`, `LS-Description`); anything else gets the full page with title,
 * description, `ls-layout` meta and the htmx scripts injected. `Vary: HX-Request` always.
 */
export function mountHtmx(router: Router, options: HtmxMountOptions, cwd = process.cwd()): void {
  const roots = options.sources.map((f) => resolve(isAbsolute(f) ? f : join(cwd, f)));
  const templates = new TemplateCache();
  const base = options.prefix === '/' ? '' : options.prefix.replace(/\/+$/, '');
  const handler = async (ctx: Context): Promise<Response> => {
    const page = (ctx.params['*'] ?? '').replace(/\/+$/, '') || 'index';
    const rel = safeRelative(`${page}.html`);
    const file = rel === undefined ? undefined : findIn(roots, 'pages', rel);
    if (file === undefined) throw HttpError.notFound();
    const { template, source } = templates.load(file);
    const layout = layoutOf(source);
    const pd = await loadPageData(ctx, `/page-data${base}/${page}`);
    const vars = { ...pd.data, title: pd.title, description: pd.description, path: ctx.req.url };
    const content = template(vars);
    const partial = ctx.isHtmx && ctx.headers['ls-layout'] === layout;
    const res = partial
      ? ctx.html(content).withHeader('hx-partial', 'true')
      : ctx.html(renderFull(templates, roots, layout, vars, content));
    return res
      .withHeader('vary', 'HX-Request')
      .withHeader('ls-page', layout)
      .withHeader('ls-title', encodeURIComponent(pd.title))
      .withHeader('ls-description', encodeURIComponent(pd.description));
  };
  router.get(base || '/', handler);
  router.get(`${base}/*`, handler);
}

function renderFull(templates: TemplateCache, roots: readonly string[], layout: string, vars: Record<string, unknown>, content: string): string {
  const rel = safeRelative(layout);
  const file = rel === undefined ? undefined : findIn(roots, 'layouts', rel);
  if (file === undefined) throw new HttpError(500, 'Layout not found');
  const html = templates.load(file).template({ ...vars, content });
  return inject(html, { title: String(vars.title ?? ''), description: String(vars.description ?? ''), layout, scripts: [HTMX_ASSETS.htmx, HTMX_ASSETS.client] });
}

/** Serves htmx itself (from the `htmx.org` package, never a CDN) and the bundled client script. */
export function mountHtmxAssets(router: Router): void {
  const htmxFile = require.resolve('htmx.org/dist/htmx.min.js');
  const dir = htmxFile.slice(0, htmxFile.length - 'htmx.min.js'.length);
  router.get(HTMX_ASSETS.htmx, (ctx: Context) => {
    (ctx.reply as unknown as { sendFile(f: string, r: string): unknown }).sendFile('htmx.min.js', dir);
    return Response.handled();
  });
  router.get(HTMX_ASSETS.client, (ctx: Context) => ctx.raw('application/javascript; charset=utf-8', CLIENT_SCRIPT));
}

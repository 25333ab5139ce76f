import { isAbsolute, join, resolve } from 'node:path';
import { HttpError } from '../errors/http-error';
import type { Context } from '../http/context';
import { Response } from '../http/response/response';
import type { Router } from '../http/routing/router';
import { realInside } from '../static/real-path';
import { safeRelative } from '../static/static-mount';
import { csrfOf } from '../auth/csrf-token';
import { CLIENT_SCRIPT } from './client-script';
import { loadPageData, pageDataUrl } from './page-data';
import { inject, layoutOf, TemplateCache } from './templates';

/** Options of an HTMX mount (YAML `mount_htmx`). */
export interface HtmxMountOptions {
  prefix: string;
  /** Folders each holding `pages/` and `layouts/`, tried in order. */
  sources: string[];
}

/** Where the bundled scripts are served. */
export const HTMX_ASSETS = { htmx: '/_lokstra/htmx/htmx.min.js', client: '/_lokstra/htmx/lokstra-htmx.js' } as const;

// Templates are looked up like static files: symlinks followed, the real path kept inside `<source>/<sub>`.
function findIn(roots: readonly string[], sub: string, rel: string): string | undefined {
  for (const root of roots) {
    const found = realInside(join(root, sub), rel);
    if (found?.stat.isFile()) return join(found.root, found.file);
  }
  return undefined;
}

/**
 * Mounts HTMX pages: `GET <prefix>/<page>` renders `pages/<page>.html` inside its layout. An htmx
 * request (`HX-Request: true`) whose `LS-Layout` equals the page's layout gets the page alone
 * (`HX-Partial: true`, `LS-Title`, `LS-Description`); anything else gets the full page with title,
 * description, `ls-layout` meta and the htmx scripts injected. `Vary: HX-Request, LS-Layout` always
 * (merged with what other layers add, e.g. CORS's `Origin`).
 */
export function mountHtmx(router: Router, options: HtmxMountOptions, cwd = process.cwd()): void {
  const roots = options.sources.map((f) => resolve(isAbsolute(f) ? f : join(cwd, f)));
  const templates = new TemplateCache();
  const base = options.prefix === '/' ? '' : options.prefix.replace(/\/+$/, '');
  const handler = async (ctx: Context): Promise<Response> => {
    const page = (ctx.params['*'] ?? '').replace(/\/+$/, '') || 'index';
    const rel = safeRelative(`${page}.html`);
    const file = rel === undefined ? undefined : findIn(roots, 'pages', rel);
    if (rel === undefined || file === undefined) throw HttpError.notFound();
    const { template, source } = templates.load(file);
    const layout = layoutOf(source);
    const pd = await loadPageData(ctx, pageDataUrl(base, rel.slice(0, -'.html'.length)));
    const csrf = csrfOf(ctx.req);
    const csrfToken = csrf?.token();
    const vars = { ...pd.data, title: pd.title, description: pd.description, path: ctx.req.url, ...(csrfToken === undefined ? {} : { csrf_token: csrfToken, csrf_field: csrf?.field }) };
    const content = template(vars);
    const partial = ctx.isHtmx && ctx.headers['ls-layout'] === layout;
    const res = partial
      ? ctx.html(content).withHeader('hx-partial', 'true')
      : ctx.html(renderFull(templates, roots, layout, vars, content, csrf === undefined ? undefined : { header: csrf.header, token: csrfToken as string }));
    return res
      .withHeader('vary', 'HX-Request, LS-Layout')
      .withHeader('ls-page', layout)
      .withHeader('ls-title', encodeURIComponent(pd.title))
      .withHeader('ls-description', encodeURIComponent(pd.description));
  };
  router.get(base || '/', handler);
  router.get(`${base}/*`, handler);
}

function renderFull(templates: TemplateCache, roots: readonly string[], layout: string, vars: Record<string, unknown>, content: string, csrf?: { header: string; token: string }): string {
  const rel = safeRelative(layout);
  const file = rel === undefined ? undefined : findIn(roots, 'layouts', rel);
  if (file === undefined) throw new HttpError(500, 'Layout not found');
  const html = templates.load(file).template({ ...vars, content });
  return inject(html, { title: String(vars.title ?? ''), description: String(vars.description ?? ''), layout, scripts: [HTMX_ASSETS.htmx, HTMX_ASSETS.client], ...(csrf === undefined ? {} : { csrf }) });
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

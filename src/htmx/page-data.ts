import { HttpError } from '../errors/http-error';
import type { Context } from '../http/context';

/** What a `/page-data/…` handler answers with (`ctx.htmxPageData`). */
export interface PageData {
  title: string;
  description: string;
  data: Record<string, unknown>;
}

const EMPTY: PageData = { title: '', description: '', data: {} };

/**
 * The only URL a page's data can come from: `/page-data<base>/<page>`, built from the page's
 * normalised path (the one its template was found by, `..` already resolved inside the pages
 * folder) with every segment percent-encoded — so `?`, `#`, `%` or a `..` in the request can never
 * turn it into another path, a query or a fragment.
 * @example pageDataUrl('/shop', '/a b/c') // '/page-data/shop/a%20b/c'
 */
export function pageDataUrl(base: string, page: string): string {
  const segments = page.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..')) throw new TypeError(`page path not normalised: ${page}`);
  return `/page-data${base}/${segments.map(encodeURIComponent).join('/')}`;
}

// The inner request is the client's request minus what describes the outer one's framing, body,
// encoding or cache state: it must come back as plain, complete JSON.
const NOT_FORWARDED = new Set([
  'content-length', 'content-type', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'expect', 'te',
  'trailer', 'proxy-connection', 'accept-encoding', 'accept', 'range', 'if-range', 'if-match', 'if-none-match',
  'if-modified-since', 'if-unmodified-since', 'x-request-id',
]);

/**
 * The client's identity for the in-process call: every request header a guard may read
 * (`authorization`, `cookie`, `x-api-key`, `x-forwarded-*`, `host`…) and the socket address, so
 * allow-lists, auth middleware and `trust_proxy` see the page-data call exactly as the client.
 */
export function forwardedHeaders(ctx: Context): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(ctx.headers)) {
    if (value !== undefined && !NOT_FORWARDED.has(name)) out[name] = value;
  }
  out.accept = 'application/json';
  out['x-request-id'] = ctx.requestId;
  return out;
}

interface InjectResult { statusCode: number; body: string }
interface Injector { inject(options: object): Promise<InjectResult> }

/**
 * Calls the page's data handler in-process (Fastify's `inject`: no socket, the route's middleware
 * runs) as the client. 404 means "no data"; 4xx is passed on; 5xx becomes 502.
 */
export async function loadPageData(ctx: Context, url: string): Promise<PageData> {
  const server = (ctx.req as unknown as { server: Injector }).server;
  const remoteAddress = ctx.req.socket?.remoteAddress;
  const res = await server.inject({ method: 'GET', url, headers: forwardedHeaders(ctx), remoteAddress });
  if (res.statusCode === 404) return EMPTY;
  if (res.statusCode >= 400) throw new HttpError(res.statusCode >= 500 ? 502 : res.statusCode, 'Page data unavailable');
  let body: { data?: Partial<PageData> };
  try {
    body = JSON.parse(res.body) as { data?: Partial<PageData> };
  } catch {
    throw new HttpError(502, 'Page data unavailable');
  }
  return { title: body.data?.title ?? '', description: body.data?.description ?? '', data: (body.data?.data ?? {}) as Record<string, unknown> };
}

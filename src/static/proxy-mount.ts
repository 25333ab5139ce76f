import type { Context } from '../http/context';
import { Response } from '../http/response/response';
import type { Router } from '../http/routing/router';

/** Options of a reverse-proxy mount (YAML `mount_reverse_proxy`). */
export interface ProxyMountOptions {
  prefix: string;
  /** Upstream base URL; the path after the prefix is appended to it. */
  target: string;
}

interface ReplyFrom {
  from(url: string, options: { onError(reply: unknown, error: { error: Error }): void }): unknown;
}

/**
 * Proxies `<prefix>` and `<prefix>/*` (every method) to `target` with @fastify/reply-from (undici),
 * streaming the answer back; the prefix is stripped and the query kept. Routes go through the
 * router, so app and group middleware guard them. An unreachable upstream is a 502 envelope.
 */
export function mountReverseProxy(router: Router, options: ProxyMountOptions): void {
  const target = options.target.replace(/\/+$/, '');
  const base = options.prefix === '/' ? '' : options.prefix.replace(/\/+$/, '');
  const handler = (ctx: Context): Response => {
    const rest = ctx.params['*'] ?? '';
    const q = ctx.req.url.indexOf('?');
    const query = q === -1 ? '' : ctx.req.url.slice(q);
    (ctx.reply as unknown as ReplyFrom).from(`${target}/${rest}${query}`, {
      onError: (reply) => {
        const r = reply as { code(n: number): { type(t: string): { send(b: string): void } } };
        r.code(502).type('application/json; charset=utf-8').send(JSON.stringify(Response.error(502, 'Bad gateway', 'BAD_GATEWAY').toEnvelope()));
      },
    });
    return Response.handled();
  };
  router.all(base || '/', handler);
  router.all(`${base}/*`, handler);
}

import type { FastifyReply } from 'fastify';
import type { Context } from '../http/context';
import { Response } from '../http/response/response';
import type { Router } from '../http/routing/router';
import { PROXY_BODY_MIDDLEWARE } from './proxy-body';
import { agentFor, forward, type ForwardTarget } from './proxy-forward';
import { upstreamTarget } from './proxy-path';

/** Options of a reverse-proxy mount (YAML `mount_reverse_proxy`). */
export interface ProxyMountOptions {
  prefix: string;
  /** Upstream base URL (`http://host:port/base`); the path after the prefix goes under its path. */
  target: string;
}

const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** What ends a proxied request early: the client leaving, or the route's timeout. */
interface Cancel {
  signal: AbortSignal;
  /** True when the route timeout fired before the upstream answered. */
  timedOut(): boolean;
  done(): void;
}

// Aborted when the client goes away before its answer is complete, or when the route timeout
// (`timeout` middleware / handler_timeout) passes before the upstream has answered. Fastify's own
// request.signal is not used: on Node 20 it aborts as soon as a request body has been read (the
// IncomingMessage closes), and its handler timer is cleared at the same moment, so it would cut
// every proxied POST at once and never time one out; it is followed only for its own timeout.
function cancellation(ctx: Context): Cancel {
  const ac = new AbortController();
  const res = (ctx.reply as FastifyReply).raw;
  let timedOut = false;
  const onClose = (): void => { if (!res.writableFinished) ac.abort(); };
  res.once('close', onClose);
  const ms = ctx.req.routeOptions.handlerTimeout ?? 0;
  const timer = ms > 0 ? setTimeout(() => { if (!res.headersSent) { timedOut = true; ac.abort(); } }, ms) : undefined;
  // Where Fastify's timer does fire (bodyless requests) it answers 503 itself; the upstream stops too.
  const fastifyTimeout = ctx.req.signal;
  fastifyTimeout.addEventListener('abort', () => {
    if ((fastifyTimeout.reason as { code?: string } | undefined)?.code === 'FST_ERR_HANDLER_TIMEOUT') ac.abort();
  }, { once: true });
  return {
    signal: ac.signal,
    timedOut: () => timedOut,
    done: () => clearTimeout(timer),
  };
}

/**
 * Proxies `<prefix>` and `<prefix>/*` (every method) to `target`, streaming both ways. The
 * upstream path is rebuilt from the decoded, checked and re-encoded segments of the request path
 * (see {@link upstreamTarget}): traversal attempts and malformed encodings are 400 envelopes and
 * never reach the upstream. Bodies of any content type are forwarded as the raw bytes sent (up to
 * the route's body limit, else 413); hop-by-hop headers are dropped both ways. An unreachable
 * upstream is a 502 envelope; a client that leaves, or the route timeout, aborts the upstream
 * request. Routes go through the router, so app and group middleware guard them.
 */
export function mountReverseProxy(router: Router, options: ProxyMountOptions): void {
  const url = new URL(options.target);
  const basePath = url.pathname;
  const agent = agentFor(url);
  const base = options.prefix === '/' ? '' : options.prefix.replace(/\/+$/, '');
  const mountPath = router.fullPrefix === '/' ? base : `${router.fullPrefix}${base}`;
  const handler = (ctx: Context): Response | Promise<Response> => {
    const up = upstreamTarget(ctx.req.raw.url ?? '/', mountPath, basePath);
    if ('error' in up) return Response.error(400, up.error, 'BAD_REQUEST');
    const target: ForwardTarget = { url, path: up.query === '' ? up.path : `${up.path}?${up.query}`, agent };
    const limit = ctx.req.routeOptions.bodyLimit ?? DEFAULT_BODY_LIMIT;
    const cancel = cancellation(ctx);
    return forward(ctx.req, ctx.reply as FastifyReply, target, cancel.signal, limit).then((res) => {
      cancel.done();
      return cancel.timedOut() ? Response.error(503, 'Request timed out', 'SERVICE_UNAVAILABLE') : res;
    });
  };
  router.all(base || '/', handler, PROXY_BODY_MIDDLEWARE);
  router.all(`${base}/*`, handler, PROXY_BODY_MIDDLEWARE);
}

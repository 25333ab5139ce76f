import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { LokstraError } from '../errors/lokstra-error';
import type { HttpMethod } from '../metadata/types';
import type { MethodIndex } from './method-index';
import type { CompiledRoute } from './routing/compile';

type FastifyHandler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

const STANDARD: HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** A path template with parameter names erased and the trailing slash dropped, for duplicate detection. */
export function normalizeTemplate(url: string): string {
  return url.replace(/:[A-Za-z_$][\w$]*(\([^)]*\))?/g, ':$1').replace(/(.)\/+$/, '$1');
}

/**
 * Registers compiled routes: duplicates (same method and normalised path, across every app on the
 * listener) are boot errors naming both sources; an explicit HEAD wins over Fastify's implicit one.
 * Every route is also added to `index`, which answers 405/OPTIONS for paths Fastify did not match.
 */
export function registerRoutes(app: FastifyInstance, routes: CompiledRoute[], wrap: (route: CompiledRoute) => FastifyHandler, index: MethodIndex): void {
  const seen = new Map<string, CompiledRoute>();
  for (const route of routes) {
    const template = normalizeTemplate(route.url);
    for (const m of route.method === 'ALL' ? STANDARD : [route.method]) {
      const key = `${m} ${template}`;
      const first = seen.get(key);
      if (first !== undefined) {
        throw new LokstraError('LKS_ERR_ROUTE_DUPLICATE', { method: m, path: route.url, app: route.app, first: `${first.app}:${first.source}`, second: `${route.app}:${route.source}` });
      }
      seen.set(key, route);
    }
  }
  const ordered = [...routes].sort((a, b) => Number(b.method === 'HEAD') - Number(a.method === 'HEAD'));
  for (const route of ordered) {
    const template = normalizeTemplate(route.url);
    const explicitHead = seen.get(`HEAD ${template}`)?.method === 'HEAD';
    app.route({
      method: (route.method === 'ALL' ? STANDARD : [route.method]) as HTTPMethods[],
      url: route.url,
      handler: wrap(route),
      exposeHeadRoute: route.method === 'GET' && !explicitHead,
    });
    index.add(route.method, route.url);
  }
}

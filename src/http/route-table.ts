import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { LokstraError } from '../errors/lokstra-error';
import type { HttpMethod } from '../metadata/types';
import type { MethodIndex } from './method-index';
import { LOKSTRA_ROUTE, RESPONSE_SCOPE, type FastifyRouteParts } from './route-fastify';
import type { CompiledRoute } from './routing/compile';

type FastifyHandler = (req: FastifyRequest, reply: FastifyReply) => unknown;

const STANDARD: HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** A compiled route with its Fastify-phase middleware turned into route options and hooks. */
export interface RouteToRegister {
  route: CompiledRoute;
  parts: FastifyRouteParts;
}

/** A path template with parameter names erased and the trailing slash dropped, for duplicate detection. */
export function normalizeTemplate(url: string): string {
  return url.replace(/:[A-Za-z_$][\w$]*(\([^)]*\))?/g, ':$1').replace(/(.)\/+$/, '$1');
}

function checkDuplicates(routes: readonly RouteToRegister[]): Map<string, CompiledRoute> {
  const seen = new Map<string, CompiledRoute>();
  for (const { route } of routes) {
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
  return seen;
}

/**
 * Registers compiled routes: duplicates (same method and normalised path, across every app on the
 * listener) are boot errors naming both sources; an explicit HEAD wins over Fastify's implicit one.
 * Each route carries the options and hooks its Fastify-phase middleware compiled to, and is also
 * added to `index`, which answers 405/OPTIONS (and CORS preflights) for paths Fastify did not match.
 */
export function registerRoutes(app: FastifyInstance, routes: RouteToRegister[], wrap: (entry: RouteToRegister) => FastifyHandler, index: MethodIndex): void {
  const seen = checkDuplicates(routes);
  const ordered = [...routes].sort((a, b) => Number(b.route.method === 'HEAD') - Number(a.route.method === 'HEAD'));
  for (const entry of ordered) {
    const { route, parts } = entry;
    const template = normalizeTemplate(route.url);
    const explicitHead = seen.get(`HEAD ${template}`)?.method === 'HEAD';
    // Typed explicitly: once a plugin augments FastifyContextConfig (e.g. @fastify/rate-limit's
    // `rateLimit?`), it is a weak type that an object of symbol keys alone would not satisfy.
    const config: FastifyContextConfig & Record<symbol, unknown> = { ...parts.config, [LOKSTRA_ROUTE]: true, [RESPONSE_SCOPE]: route.scope };
    try {
      app.route({
        ...parts.options,
        ...(parts.hooks as Record<string, never>),
        method: (route.method === 'ALL' ? STANDARD : [route.method]) as HTTPMethods[],
        url: route.url,
        handler: wrap(entry),
        exposeHeadRoute: route.method === 'GET' && !explicitHead,
        config,
      });
    } catch (err) {
      if ((err as { code?: string }).code !== 'FST_ERR_DUPLICATED_ROUTE') throw err;
      // Only a Fastify plugin's route can collide here (Lokstra's own duplicates were caught above),
      // e.g. @fastify/cors's `OPTIONS *` with an `ALL /*` route.
      throw new LokstraError('LKS_ERR_ROUTE_DUPLICATE', { method: route.method, path: route.url, app: route.app, first: 'a route added by a Fastify plugin (cors adds OPTIONS *)', second: `${route.app}:${route.source}` }, { cause: err });
    }
    index.add(route.method, route.url, config as Record<string | symbol, unknown>);
  }
}

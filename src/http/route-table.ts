import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { LokstraError } from '../errors/lokstra-error';
import type { HttpMethod } from '../metadata/types';
import { Response } from './response/response';
import { sendResponse } from './response/send';
import type { CompiledRoute } from './routing/compile';

type FastifyHandler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

const STANDARD: HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** A path template with parameter names erased and the trailing slash dropped, for duplicate detection. */
export function normalizeTemplate(url: string): string {
  return url.replace(/:[A-Za-z_$][\w$]*(\([^)]*\))?/g, ':$1').replace(/(.)\/+$/, '$1');
}

interface PathEntry {
  url: string;
  methods: Set<HttpMethod>;
  all: boolean;
}

/**
 * Registers compiled routes: duplicates (same method and normalised path, across every app on the
 * listener) are boot errors naming both sources; an explicit HEAD wins over Fastify's implicit one;
 * every other standard method of a known path answers 405 with `Allow` (OPTIONS: 204 with `Allow`).
 */
export function registerRoutes(app: FastifyInstance, routes: CompiledRoute[], wrap: (route: CompiledRoute) => FastifyHandler): void {
  const seen = new Map<string, CompiledRoute>();
  const paths = new Map<string, PathEntry>();
  for (const route of routes) {
    const template = normalizeTemplate(route.url);
    const methods = route.method === 'ALL' ? STANDARD : [route.method];
    for (const m of methods) {
      const key = `${m} ${template}`;
      const first = seen.get(key);
      if (first !== undefined) {
        throw new LokstraError('LKS_ERR_ROUTE_DUPLICATE', { method: m, path: route.url, app: route.app, first: `${first.app}:${first.source}`, second: `${route.app}:${route.source}` });
      }
      seen.set(key, route);
    }
    const entry = paths.get(template) ?? { url: route.url, methods: new Set<HttpMethod>(), all: false };
    for (const m of methods) entry.methods.add(m);
    entry.all ||= route.method === 'ALL';
    paths.set(template, entry);
  }
  const ordered = [...routes].sort((a, b) => Number(b.method === 'HEAD') - Number(a.method === 'HEAD'));
  for (const route of ordered) {
    const entry = paths.get(normalizeTemplate(route.url)) as PathEntry;
    const explicitHead = seen.get(`HEAD ${normalizeTemplate(route.url)}`)?.method === 'HEAD';
    app.route({
      method: (route.method === 'ALL' ? STANDARD : [route.method]) as HTTPMethods[],
      url: route.url,
      handler: wrap(route),
      exposeHeadRoute: route.method === 'GET' && !explicitHead && !entry.all,
    });
  }
  for (const entry of paths.values()) registerMissing(app, entry);
}

function registerMissing(app: FastifyInstance, entry: PathEntry): void {
  if (entry.all) return;
  const allowed = new Set(entry.methods);
  if (allowed.has('GET')) allowed.add('HEAD');
  allowed.add('OPTIONS');
  const allow = STANDARD.filter((m) => allowed.has(m)).join(', ');
  const missing = STANDARD.filter((m) => !entry.methods.has(m) && !(m === 'HEAD' && entry.methods.has('GET')));
  const notAllowed = missing.filter((m) => m !== 'OPTIONS');
  if (notAllowed.length > 0) {
    app.route({
      method: notAllowed as HTTPMethods[], url: entry.url, exposeHeadRoute: false,
      handler: async (_req, reply) => sendResponse(reply, Response.error(405, 'Method not allowed', 'METHOD_NOT_ALLOWED').withHeader('allow', allow)),
    });
  }
  if (missing.includes('OPTIONS')) {
    app.route({
      method: 'OPTIONS', url: entry.url,
      handler: async (_req, reply) => reply.code(204).header('allow', allow).send(),
    });
  }
}

import FindMyWay from 'find-my-way';
import type { HttpMethod } from '../metadata/types';

const STANDARD: HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

type RouteConfig = Record<PropertyKey, unknown>;

/**
 * Which methods a URL answers to, consulted only when Fastify found no route (so a 405 can never
 * shadow a real route, e.g. `GET /users/:id` vs `POST /users/bulk`). Same router library and
 * options as Fastify, so matching is identical. Each entry keeps its route's config, so a CORS
 * preflight for a path without an OPTIONS route is answered with the config of the route it asks about.
 */
export class MethodIndex {
  private readonly router: FindMyWay.Instance<FindMyWay.HTTPVersion.V1>;

  constructor(options: { ignoreTrailingSlash: boolean; maxParamLength: number }) {
    this.router = FindMyWay({ ignoreTrailingSlash: options.ignoreTrailingSlash, maxParamLength: options.maxParamLength, allowUnsafeRegex: true });
  }

  add(method: HttpMethod, url: string, config: RouteConfig = {}): void {
    const methods = method === 'ALL' ? STANDARD : method === 'GET' ? ['GET', 'HEAD'] : [method];
    for (const m of methods) {
      if (this.router.hasRoute(m as FindMyWay.HTTPMethod, url)) continue;
      this.router.on(m as FindMyWay.HTTPMethod, url, () => undefined, config);
    }
  }

  /** The config of the route that serves `method url`, if any. */
  configFor(method: string, url: string): RouteConfig | undefined {
    try {
      return (this.router.find(method.toUpperCase() as FindMyWay.HTTPMethod, url)?.store as RouteConfig | undefined) ?? undefined;
    } catch {
      return undefined;
    }
  }

  /** The `Allow` list for a URL (OPTIONS always included), or `undefined` when no method matches it. */
  allowFor(url: string): string | undefined {
    let found = false;
    const allowed: string[] = [];
    for (const m of STANDARD) {
      let hit = false;
      try {
        hit = this.router.find(m as FindMyWay.HTTPMethod, url) !== null;
      } catch {
        hit = false;
      }
      if (hit) found = true;
      if (hit || m === 'OPTIONS') allowed.push(m);
    }
    return found ? allowed.join(', ') : undefined;
  }
}

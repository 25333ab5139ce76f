import { parseSize } from '../config/units';
import type { FastifyMiddleware } from './types';

const DEFAULT_MAX = 10 * 1024 * 1024;

/**
 * A `skip_on_path` pattern as a matcher of route path templates: literal segments match
 * themselves (`:id` included), `*` matches one segment, `**` the rest of the path (zero or more segments).
 */
export function pathPattern(pattern: string): (template: string) => boolean {
  const want = pattern.split('/').filter((s) => s !== '');
  return (template) => {
    const have = template.split('/').filter((s) => s !== '');
    for (let i = 0; i < want.length; i++) {
      const w = want[i] as string;
      if (w === '**') return true;
      if (i >= have.length || (w !== '*' && w !== have[i])) return false;
    }
    return want.length === have.length;
  };
}

/**
 * `body_limit`: the route's Fastify `bodyLimit` (`max_size`, default 10mb), counted in body bytes
 * whether the request has a Content-Length or is chunked; over it → 413 envelope. Routes whose path
 * template matches a `skip_on_path` pattern keep the listener's `global_setting.body_limit`.
 */
export const bodyLimit: FastifyMiddleware = {
  build(config) {
    const max = parseSize(config.max_size ?? DEFAULT_MAX) ?? DEFAULT_MAX;
    const skips = (Array.isArray(config.skip_on_path) ? config.skip_on_path : []).map((p) => pathPattern(String(p)));
    return (route) => (route.url === '*' || skips.some((m) => m(route.url)) ? {} : { options: { bodyLimit: Math.floor(max) } });
  },
};

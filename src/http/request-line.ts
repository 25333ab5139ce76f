import type { FastifyRequest } from 'fastify';
import { parse as parseQuery } from 'fast-querystring';

const FORBIDDEN_SEGMENT = /(^|[[\].])(__proto__|constructor|prototype)($|[[\].])/;
const BAD_QUERY = Symbol.for('lokstra.bad-query');

/** True when a query or form key names a prototype property in any bracket/dot segment (`__proto__[x]`, `a.constructor`). */
export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_SEGMENT.test(key);
}

/**
 * Fastify's query-string parser, plus a marker when a key is a prototype name: the route answers
 * 400 instead of silently dropping it (nothing could be polluted either way: the object has no prototype).
 */
export function parseQueryString(text: string): Record<string | symbol, unknown> {
  const query = parseQuery(text) as Record<string | symbol, unknown>;
  for (const key of Object.keys(query)) {
    if (isForbiddenKey(key)) {
      query[BAD_QUERY] = true;
      break;
    }
  }
  return query;
}

/**
 * Why a request line must be refused with 400 (NUL in the path, a prototype key in the query), or
 * `undefined`. NUL in a query value is left to binding, which reports it per field.
 */
export function badRequestLine(req: FastifyRequest): string | undefined {
  const url = req.raw.url ?? '';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (path.includes('%00') || path.includes('\0')) return 'Malformed URL';
  if ((req.query as Record<symbol, unknown> | undefined)?.[BAD_QUERY] === true) return 'Forbidden query parameter name';
  return undefined;
}

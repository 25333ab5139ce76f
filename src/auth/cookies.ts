import type { FastifyRequest } from 'fastify';

/**
 * A cookie of the request: from @fastify/cookie's `req.cookies` when a `session`/`csrf` registered
 * it, else parsed from the `Cookie` header (first occurrence wins, as browsers send the most specific first).
 */
export function readCookie(req: FastifyRequest, name: string): string | undefined {
  const parsed = (req as unknown as { cookies?: Record<string, string | undefined> }).cookies;
  if (parsed !== undefined) return parsed[name];
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value);
    } catch {
      return value;
    }
  }
  return undefined;
}

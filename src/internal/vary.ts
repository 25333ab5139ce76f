/**
 * `Vary` is a list: every layer that makes the answer depend on a request header (CORS on
 * `Origin`, htmx on `HX-Request` and `LS-Layout`, compression on `Accept-Encoding`…) adds its
 * names, and nobody overwrites another's. These helpers are the only way Lokstra writes it.
 */

/** The field names of a `Vary` value (string, string[] or number from a header store). */
function names(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value.join(',') : String(value);
  return list.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/**
 * Merges `Vary` values: names kept in first-seen order, duplicates dropped case-insensitively;
 * `*` (varies on everything) absorbs the rest.
 * @example mergeVary('Origin', 'HX-Request, origin') // 'Origin, HX-Request'
 */
export function mergeVary(...values: unknown[]): string {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const value of values) {
    for (const name of names(value)) {
      if (name === '*') return '*';
      const key = name.toLowerCase();
      if (!seen.has(key)) {
        seen.add(key);
        out.push(name);
      }
    }
  }
  return out.join(', ');
}

/** What {@link appendVary} needs from a reply (Fastify's reply or a Node response). */
export interface VaryTarget {
  getHeader(name: string): unknown;
  header(name: string, value: string): unknown;
}

/** Adds names to the `Vary` header already on a reply, keeping what other layers put there. */
export function appendVary(reply: VaryTarget, ...fields: string[]): void {
  const merged = mergeVary(reply.getHeader('vary'), ...fields);
  if (merged !== '') reply.header('vary', merged);
}

/**
 * The path a reverse proxy sends upstream, built from normalised segments: each segment of the
 * request path after the mount prefix is percent-decoded, checked, and re-encoded on its own, then
 * joined under the target's base path. Nothing the client sends can leave that base path or add a
 * query or fragment: dot segments, backslashes, control characters and malformed encodings are
 * refused (also when they only appear after a second or third decoding, or after NFKC folding, for
 * upstreams that decode twice or normalise), and `/`, `?`, `#`, `%` inside a segment stay encoded.
 */

/** Either the upstream path and query, or why the request is refused (a 400). */
export type UpstreamTarget = { path: string; query: string } | { error: string };

// Characters allowed literally in a path segment (RFC 3986 pchar sub-delims, ':' and '@') that
// encodeURIComponent escapes; keeping them literal forwards `/a:b,c` as the client wrote it.
const KEEP = /%(?:3A|40|24|26|2B|2C|3B|3D)/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const ESCAPE = /%[0-9A-Fa-f]{2}/;
const MAX_DECODINGS = 3;

/** Re-encodes one decoded segment (nothing structural survives unescaped). */
export function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(KEEP, (m) => decodeURIComponent(m));
}

// A dot segment, also with path parameters (`..;x`, which Tomcat-style servers treat as `..`).
function isDot(part: string): boolean {
  const name = part.split(';', 1)[0];
  return name === '.' || name === '..';
}

// Why a decoded segment is unsafe at this decoding depth, or undefined. Compatibility forms
// (fullwidth `．．`, `＼`) count as what NFKC turns them into, for upstreams that normalise.
function unsafe(decoded: string): string | undefined {
  if (CONTROL.test(decoded)) return 'Malformed URL';
  const folded = decoded.normalize('NFKC');
  if (folded.includes('\\')) return 'Backslashes are not allowed in a proxied path';
  if (folded.split('/').some(isDot)) return 'Dot segments are not allowed in a proxied path';
  return undefined;
}

/**
 * Decodes one raw segment and checks it, and the results of decoding it again while escapes
 * remain (double encoding): `%252e%252e` is refused like `..`. Returns the once-decoded value.
 */
export function decodeSegment(raw: string): { value: string } | { error: string } {
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    return { error: 'Malformed URL' };
  }
  const problem = unsafe(value);
  if (problem !== undefined) return { error: problem };
  let deeper = value;
  for (let i = 1; i < MAX_DECODINGS && ESCAPE.test(deeper); i++) {
    try {
      deeper = decodeURIComponent(deeper);
    } catch {
      break; // a literal '%' that is not an escape: upstreams decoding again fail on it themselves
    }
    const hidden = unsafe(deeper);
    if (hidden !== undefined) return { error: hidden };
  }
  return { value };
}

/** The raw request target split into path and query; a fragment (never valid in a request) is dropped. */
function splitTarget(rawUrl: string): { path: string; query: string } {
  const hash = rawUrl.indexOf('#');
  const url = hash === -1 ? rawUrl : rawUrl.slice(0, hash);
  const q = url.indexOf('?');
  return q === -1 ? { path: url, query: '' } : { path: url.slice(0, q), query: url.slice(q + 1) };
}

/**
 * Maps a raw request target (`req.raw.url`, still encoded) on a mount at `prefix` to the path and
 * query to request from a target whose path is `basePath` (`/api`, or `` for the root).
 * @example
 * upstreamTarget('/legacy/a%20b/c?x=1', '/legacy', '/api') // { path: '/api/a%20b/c', query: 'x=1' }
 * upstreamTarget('/legacy/..%2fsecret', '/legacy', '/api') // { error: 'Dot segments are not allowed…' }
 */
export function upstreamTarget(rawUrl: string, prefix: string, basePath: string): UpstreamTarget {
  const { path, query } = splitTarget(rawUrl);
  if (!path.startsWith('/')) return { error: 'Malformed URL' };
  const raw = path.split('/').slice(1);
  const want = prefix.split('/').filter((s) => s !== '');
  for (let i = 0; i < want.length; i++) {
    const got = decodeSegment(raw[i] ?? '');
    if ('error' in got) return got;
    if (got.value !== want[i]) return { error: 'Malformed URL' };
  }
  const rest = raw.slice(want.length);
  const trailingSlash = rest.length > 0 && rest[rest.length - 1] === '';
  const out: string[] = basePath.split('/').filter((s) => s !== '');
  for (const segment of rest) {
    if (segment === '') continue;
    const got = decodeSegment(segment);
    if ('error' in got) return got;
    out.push(encodeSegment(got.value));
  }
  return { path: `/${out.join('/')}${trailingSlash && out.length > 0 ? '/' : ''}`, query };
}

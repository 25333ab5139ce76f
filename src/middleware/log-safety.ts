import { isSecretKey } from '../internal/secrets';

/** What replaces a redacted value in logs. */
export const REDACTED = '[REDACTED]';

/** Headers never logged in clear, whatever their name looks like. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);

// C0 controls (CR, LF, ESC…), DEL and C1 controls, plus the Unicode line/paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const MAX_STRING = 2048;
const MAX_DEPTH = 8;
const MAX_KEYS = 100;

/**
 * A string safe to put in a log line: control characters (CR, LF, ANSI escapes…) become `\uXXXX`
 * text, so no value can end a line or start a forged one, whatever the log format; long values are cut.
 */
export function safeLogValue(value: string): string {
  const cut = value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…(${value.length - MAX_STRING} more)` : value;
  return cut.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Request headers for a log line: secret ones (`authorization`, `cookie`, `x-api-key`, secret-named) redacted, values escaped. */
export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const key = safeLogValue(name);
    out[key] = SECRET_HEADERS.has(name.toLowerCase()) || isSecretKey(name) ? REDACTED : safeLogValue(Array.isArray(value) ? value.join(', ') : value);
  }
  return out;
}

/**
 * A copy of a body (or any value) for a log line: secret-named fields redacted at any depth,
 * strings escaped and cut, depth and width bounded (iteration stays bounded on hostile input).
 */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return safeLogValue(value);
  if (typeof value !== 'object' || value === null) return value;
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_KEYS).map((v) => redactValue(v, depth + 1));
    if (value.length > MAX_KEYS) items.push(`…(${value.length - MAX_KEYS} more)`);
    return items;
  }
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (n++ === MAX_KEYS) {
      out['…'] = 'more keys';
      break;
    }
    out[safeLogValue(k)] = isSecretKey(k) ? REDACTED : redactValue(v, depth + 1);
  }
  return out;
}

/** A URL for a log line: secret-named query parameters redacted, control characters escaped. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return safeLogValue(url);
  const query = url.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    let key = rawKey;
    try {
      key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
    } catch {
      // a malformed escape: judge the raw text
    }
    return eq !== -1 && isSecretKey(key) ? `${rawKey}=${REDACTED}` : pair;
  });
  return safeLogValue(`${url.slice(0, q)}?${query.join('&')}`);
}

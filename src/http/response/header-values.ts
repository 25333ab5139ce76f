import { LokstraError } from '../../errors/lokstra-error';

// What Node accepts in a header value: TAB, visible ASCII, space and the Latin-1 range. CR, LF and
// NUL would end the header (response splitting); Node throws on them and Fastify then writes its
// own raw error body, so they are refused here, where the handler set them.
const INVALID_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const SENTINEL = 'http://lokstra.invalid';

/** Options of `ctx.redirect` and `ctx.hxRedirect`. */
export interface RedirectOptions {
  /** Allow an absolute `http(s)://` target on another site (default false: relative targets only). */
  external?: boolean;
}

function invalid(name: string, detail: string): LokstraError {
  return new LokstraError('LKS_ERR_RESPONSE_HEADER_INVALID', { name, detail });
}

function describe(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return JSON.stringify(shown);
}

/**
 * Checks a response header before it is set: a token name, and a value without CR, LF, NUL or
 * characters Node cannot send (beyond Latin-1). Throws `LKS_ERR_RESPONSE_HEADER_INVALID`, which the
 * handler's error path answers as a 500 `INTERNAL_ERROR` envelope.
 */
export function checkHeader(name: string, value: string): string {
  if (!TOKEN.test(name)) throw invalid(describe(name), 'not a valid header name');
  if (typeof value !== 'string') throw invalid(name, `value must be a string, got ${typeof value}`);
  const bad = INVALID_VALUE.exec(value);
  if (bad !== null) {
    const code = bad[0].charCodeAt(0);
    const what = code === 13 || code === 10 ? 'CR/LF' : code < 0x20 || code === 0x7f ? 'a control character' : 'a character outside Latin-1 (encode it first)';
    throw invalid(name, `value ${describe(value)} contains ${what}`);
  }
  return value;
}

// Percent-encodes (UTF-8) what may not appear raw in a URL header: spaces and non-ASCII.
function encodeUrl(name: string, url: string): string {
  if (CONTROL.test(url)) throw invalid(name, `URL ${describe(url)} contains CR/LF or another control character`);
  try {
    return url.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));
  } catch {
    throw invalid(name, `URL ${describe(url)} is not well-formed Unicode`);
  }
}

/**
 * A redirect target for `Location` or `HX-Redirect`: non-ASCII percent-encoded, control characters
 * refused, and — unless `external` — only a target that stays on this site (`/path`, `?q`,
 * `../up`; never `//evil.com`, `/\evil.com`, `https://…` or `javascript:`). An external target must be
 * an absolute `http:` or `https:` URL.
 */
export function redirectTarget(name: string, url: string, options: RedirectOptions = {}): string {
  if (typeof url !== 'string' || url === '') throw invalid(name, 'the redirect target is empty');
  const encoded = encodeUrl(name, url);
  let resolved: URL;
  try {
    resolved = new URL(encoded, `${SENTINEL}/lokstra/`);
  } catch {
    throw invalid(name, `redirect target ${describe(url)} is not a valid URL`);
  }
  if (!SCHEME.test(encoded) && resolved.origin === SENTINEL) return encoded;
  if (options.external === true && SCHEME.test(encoded) && (resolved.protocol === 'http:' || resolved.protocol === 'https:')) return encoded;
  throw invalid(name, options.external === true
    ? `redirect target ${describe(url)} is neither relative nor an http(s) URL`
    : `redirect target ${describe(url)} leaves this site; pass { external: true } to allow it`);
}

// JSON with every non-ASCII character as \uXXXX: valid JSON that htmx parses back, and Latin-1-safe.
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The `HX-Trigger` value: the event name as is when it is plain ASCII and has no detail, otherwise
 * htmx's JSON form `{"event": detail}` with non-ASCII escaped. Control characters in a bare event
 * name are refused.
 */
export function hxTriggerValue(event: string, detail?: unknown): string {
  if (typeof event !== 'string' || event === '') throw invalid('hx-trigger', 'the event name is empty');
  if (detail === undefined && /^[\x20-\x7e]+$/.test(event)) return event;
  if (CONTROL.test(event)) throw invalid('hx-trigger', `event name ${describe(event)} contains CR/LF or another control character`);
  return asciiJson({ [event]: detail ?? null });
}

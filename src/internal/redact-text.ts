import { isSecretKey } from './secrets';

/** What replaces a secret in a log line. */
export const REDACTED_TEXT = '[REDACTED]';

// Every pattern is bounded (a word start, length caps) so that a long hostile string costs linear time.

// `scheme://user:password@host`: the password goes, user and host stay (they help debugging).
const URL_PASSWORD = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]{0,30}:\/\/[^\s:@/?#"'<>]{0,128}):([^\s@/?#"'<>]{1,256})@/gi;

// A secret-named key followed by `=` or `:` and its value, as in query strings, DSNs in key=value
// form (`password=x host=y`), `util.inspect` output (`password: 'x'`) and JSON (`"token":"x"`).
// The key is any word (checked by isSecretKey in the replacer); quoted values end at their quote.
const KEY_VALUE = /(?<![\w.-])([A-Za-z_][\w.-]{0,63})(["']?[ \t]*[=:][ \t]*)(?:"((?:[^"\\]|\\.){0,4096})"|'([^'\\]{0,4096})'|([^\s&,;"'<>)}\]]{1,4096}))/g;

// `Bearer <token>`, `Basic <base64>` (Authorization values quoted in messages) and bare JWTs.
const BEARER = /\b(Bearer|Token)([ \t]+)[A-Za-z0-9._~+/=-]{8,}/gi;
const BASIC = /\b(Basic)([ \t]+)([A-Za-z0-9+/]{8,}={0,2})/g;
// A Basic credential is base64 of `user:password`; a word like `authentication` does not decode to that.
const isBasicCredential = (b64: string): boolean => Buffer.from(b64, 'base64').toString('latin1').includes(':');
// An unquoted value stops at `]`, so an already redacted value reads `[REDACTED`.
const AUTH_SCHEME = /^(?:Bearer|Basic|Token|Digest|\[REDACTED)$/i;
// A key isSecretKey would accept contains one of these; a text without any needs no key=value pass.
const SECRET_NAME = /pass|pwd|secret|token|api[_-]?key|private[_-]?key|credential|authorization|cookie/i;
const HINT = /pass|pwd|secret|token|key|credential|authorization|cookie|bearer|basic|eyJ|:\/\//i;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;

// Values read from secret files (`${file:…}`): redacted wherever they appear, whatever their key.
const knownSecrets = new Set<string>();
// Shorter values (`warn`, `true`) would redact ordinary words everywhere.
const MIN_KNOWN_SECRET = 8;

/** Registers a secret value (e.g. read by `${file:…}`) so logs, errors and `config print` never show it. */
export function registerSecretValue(value: string): void {
  if (value.length >= MIN_KNOWN_SECRET) knownSecrets.add(value);
}

/** Replaces the registered secret values in `text`. */
export function redactKnownSecrets(text: string): string {
  if (knownSecrets.size === 0) return text;
  let out = text;
  for (const secret of knownSecrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED_TEXT);
  return out;
}

/**
 * Removes secrets from free text (error messages, stacks, URLs): URL passwords
 * (`postgres://user:[REDACTED]@host`), values of secret-named keys (`api_key=`, `token:`,
 * `"password":"…"`), `Bearer`/`Basic` credentials and JWTs. Text without secrets is returned as is.
 */
export function redactSecretsInText(text: string): string {
  if (knownSecrets.size > 0) text = redactKnownSecrets(text);
  // Cheap substring tests first: most log strings (ids, routes, timestamps) hold no candidate at all.
  if (text.length < 6 || !HINT.test(text)) return text;
  let out = text;
  // Credentials after an auth scheme first, so `Authorization: Bearer x` keeps its scheme word.
  if (/bearer|token/i.test(out)) out = out.replace(BEARER, `$1$2${REDACTED_TEXT}`);
  if (out.includes('Basic')) out = out.replace(BASIC, (m: string, scheme: string, gap: string, b64: string) => (isBasicCredential(b64) ? `${scheme}${gap}${REDACTED_TEXT}` : m));
  if (out.includes('eyJ')) out = out.replace(JWT, REDACTED_TEXT);
  if (out.includes('://')) out = out.replace(URL_PASSWORD, `$1:${REDACTED_TEXT}@`);
  if (SECRET_NAME.test(out)) {
    out = out.replace(KEY_VALUE, (match: string, key: string, sep: string, dq?: string, sq?: string, bare?: string) => {
      if (!isSecretKey(key) || dq === REDACTED_TEXT || sq === REDACTED_TEXT || (bare !== undefined && AUTH_SCHEME.test(bare))) return match;
      const quote = dq !== undefined ? '"' : sq !== undefined ? "'" : '';
      return `${key}${sep}${quote}${REDACTED_TEXT}${quote}`;
    });
  }
  return out;
}

const MAX_DEPTH = 10;

/**
 * A copy of a log entry's value with secrets removed: strings through {@link redactSecretsInText},
 * values of secret-named keys replaced, errors turned into `{ name, message, stack }`. The input is
 * never modified; cycles and depth beyond 10 are cut.
 */
export function redactLogValue(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactSecretsInText(value);
  if (typeof value !== 'object' || value === null || Buffer.isBuffer(value) || value instanceof Date) return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[…]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => redactLogValue(v, depth + 1, seen));
    const source: object = value instanceof Error ? { ...value, name: value.name, message: value.message, stack: value.stack } : value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(source)) out[k] = isSecretKey(k) && v !== undefined && v !== null && v !== '' ? REDACTED_TEXT : redactLogValue(v, depth + 1, seen);
    return out;
  } finally {
    seen.delete(value);
  }
}

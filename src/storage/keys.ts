import { createHmac, timingSafeEqual } from 'node:crypto';
import { HttpError } from '../errors/http-error';

const MAX_KEY = 1024;

/**
 * Checks a storage key: relative `a/b/c.ext` segments only — no empty, `.` or `..` segment, no
 * leading `/`, backslash, drive letter, NUL or control character, at most 1024 characters. Keys
 * often come from requests: a bad one is a 400, never a path outside the store.
 */
export function checkKey(key: unknown): string {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY) throw bad();
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(key) || key.startsWith('/') || /^[A-Za-z]:/.test(key)) throw bad();
  if (key.split('/').some((s) => s === '' || s === '.' || s === '..')) throw bad();
  return key;
}

function bad(): HttpError {
  return new HttpError(400, 'Invalid storage key');
}

/** `exp.signature` for a key: HMAC-SHA256 over `key\nexp` with the storage secret. */
export function sign(secret: string, key: string, expires: number): string {
  return createHmac('sha256', secret).update(`${key}\n${expires}`).digest('base64url');
}

/** True when `sig` signs `key` until `expires` and `expires` is not past. */
export function verify(secret: string, key: string, expires: number, sig: string, now = Date.now()): boolean {
  if (!Number.isSafeInteger(expires) || expires * 1000 < now) return false;
  const want = Buffer.from(sign(secret, key, expires));
  const got = Buffer.from(sig);
  return want.length === got.length && timingSafeEqual(want, got);
}

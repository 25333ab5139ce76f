import { parseDuration } from '../../config/units';
import type { Ttl } from './types';

/** The TTL in ms (`0` = no expiry); `undefined` falls back to `fallback`. Invalid values throw a TypeError. */
export function ttlMs(ttl: Ttl | undefined, fallback: number): number {
  if (ttl === undefined) return fallback;
  const ms = parseDuration(ttl);
  if (ms === undefined) throw new TypeError(`invalid ttl ${JSON.stringify(ttl)}: expected milliseconds or a duration like '30s'`);
  return ms;
}

/** JSON text of a value; values JSON cannot represent (`undefined`, functions, symbols) are rejected. */
export function encode(key: string, value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`cannot store ${typeof value} under '${key}': values must be JSON-serialisable`);
  return json;
}

export function checkKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) throw new TypeError('keys must be non-empty strings');
}

/** A Redis glob (`*`, `?`, `[a-z]`, `[^a]`, `\x`) as an anchored RegExp. */
export function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\' && i + 1 < pattern.length) {
      out += escapeRegExp(pattern[++i] as string);
    } else if (ch === '*') {
      out += '[\\s\\S]*';
    } else if (ch === '?') {
      out += '[\\s\\S]';
    } else if (ch === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) {
        out += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith('^');
      if (negate) body = body.slice(1);
      out += `[${negate ? '^' : ''}${body.replace(/[\]\\]/g, '\\$&')}]`;
      i = end;
    } else {
      out += escapeRegExp(ch);
    }
  }
  return new RegExp(`^${out}$`);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Escapes glob characters, so a key prefix matches only itself in `SCAN MATCH`. */
export function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}

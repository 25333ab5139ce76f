import type { Class } from '../../internal/types';

/** The type a raw string (or JSON value) is converted to. */
export type ScalarKind = 'string' | 'number' | 'integer' | 'boolean' | 'date' | 'any';

/** A conversion target, resolved once at boot from `design:type` and decorator options. */
export interface TargetType {
  kind: ScalarKind | 'object';
  array: boolean;
  /** Element kind for arrays. */
  element: ScalarKind;
  /** Nested class for object targets. */
  nested: Class | undefined;
}

/** A conversion failure: a message and the constraint name reported in `meta.constraints`. */
export interface ConversionFailure {
  message: string;
  constraint: string;
}

export const FAIL = Symbol('conversion-failed');

const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
// Groups: year, month, day, hour, minute, second, fraction, zone (Z or ±hh[:]mm).
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function scalarFromString(value: string, kind: ScalarKind, field: string, fail: (f: ConversionFailure) => void): unknown {
  if (value.includes('\u0000')) return fail({ message: `${field} must not contain NUL characters`, constraint: 'noNul' }), FAIL;
  switch (kind) {
    case 'string':
    case 'any':
      return value;
    case 'number':
    case 'integer': {
      const n = NUMBER.test(value) ? Number(value) : NaN;
      return checkNumber(n, kind, field, fail);
    }
    case 'boolean': {
      const lower = value.toLowerCase();
      if (lower === 'true' || lower === '1') return true;
      if (lower === 'false' || lower === '0') return false;
      return fail({ message: `${field} must be a boolean (true, false, 1 or 0)`, constraint: 'isBoolean' }), FAIL;
    }
    case 'date':
      return toDate(value, field, fail);
  }
}

function checkNumber(n: number, kind: ScalarKind, field: string, fail: (f: ConversionFailure) => void): unknown {
  if (!Number.isFinite(n)) return fail({ message: `${field} must be a number`, constraint: 'isNumber' }), FAIL;
  if (kind === 'integer' && !Number.isInteger(n)) return fail({ message: `${field} must be an integer`, constraint: 'isInt' }), FAIL;
  if (kind === 'integer' && !Number.isSafeInteger(n)) {
    return fail({ message: `${field} must be an integer between -(2^53-1) and 2^53-1`, constraint: 'isInt' }), FAIL;
  }
  // `-0` becomes `0`: it would print as 0 yet compare unequal with Object.is and serialise as 0 anyway.
  return n === 0 ? 0 : n;
}

/**
 * Parses an ISO-8601 date or date-time without `Date`'s quirks: a calendar date must exist as
 * written (`2024-02-30` does not roll over), years 0000–0099 stay those years (`Date.UTC` would add
 * 1900), `24:00` and out-of-range fields are refused, and a date-time without a zone is **UTC** —
 * never the server's local time (`new Date('2024-01-02T10:00')` would be). `undefined` when invalid.
 */
export function parseIsoDate(value: string): Date | undefined {
  const m = ISO_DATE.exec(value);
  if (m === null) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((v) => (v === undefined ? 0 : Number(v))) as [number, number, number, number, number, number];
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  const offset = zoneOffsetMinutes(m[8]);
  if (h > 23 || mi > 59 || s > 59 || offset === undefined) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  date.setUTCHours(h, mi - offset, s, ms);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

// `Z` or no zone → 0 (UTC); `+07:00`/`-0530` → minutes east of UTC; hours above 23 or minutes above 59 → undefined.
function zoneOffsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2));
  if (hours > 23 || minutes > 59) return undefined;
  return (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function toDate(value: string, field: string, fail: (f: ConversionFailure) => void): unknown {
  const date = parseIsoDate(value);
  if (date === undefined) return fail({ message: `${field} must be an ISO-8601 date`, constraint: 'isDate' }), FAIL;
  return date;
}

/**
 * Converts a string source value (path, query, header, form field) strictly: repeated values for a
 * scalar, `""`, `"0x10"`, `"Infinity"`, `" 12 "`, `"yes"` for booleans, invalid dates and NUL are errors.
 */
export function convertString(raw: string | string[], target: TargetType, field: string, fail: (f: ConversionFailure) => void): unknown {
  if (target.array) {
    const parts = Array.isArray(raw) ? raw : raw === '' ? [] : raw.split(',');
    const out: unknown[] = [];
    for (let i = 0; i < parts.length; i++) {
      const v = scalarFromString(parts[i] as string, target.element, `${field}[${i}]`, fail);
      if (v === FAIL) return FAIL;
      out.push(v);
    }
    return out;
  }
  if (Array.isArray(raw)) {
    if (raw.length !== 1) return fail({ message: `${field} must be a single value, got ${raw.length}`, constraint: 'singleValue' }), FAIL;
    raw = raw[0] as string;
  }
  if (target.kind === 'object') return fail({ message: `${field} must be an object`, constraint: 'isObject' }), FAIL;
  return scalarFromString(raw, target.kind, field, fail);
}

function jsonScalar(value: unknown, kind: ScalarKind, field: string, fail: (f: ConversionFailure) => void): unknown {
  switch (kind) {
    case 'any':
      return value;
    case 'string':
      if (typeof value !== 'string') return fail({ message: `${field} must be a string`, constraint: 'isString' }), FAIL;
      return value;
    case 'number':
    case 'integer':
      if (typeof value !== 'number') return fail({ message: `${field} must be a number`, constraint: 'isNumber' }), FAIL;
      return checkNumber(value, kind, field, fail);
    case 'boolean':
      if (typeof value !== 'boolean') return fail({ message: `${field} must be a boolean`, constraint: 'isBoolean' }), FAIL;
      return value;
    case 'date':
      if (typeof value !== 'string') return fail({ message: `${field} must be an ISO-8601 date`, constraint: 'isDate' }), FAIL;
      return toDate(value, field, fail);
  }
}

/**
 * Checks a JSON body value against its declared type: JSON is already typed, so nothing is coerced;
 * a number where a string is declared, `[3]` where a number is, or `1e400` are errors.
 */
export function convertJson(value: unknown, target: TargetType, field: string, fail: (f: ConversionFailure) => void): unknown {
  if (value === null || value === undefined) return value;
  if (target.array) {
    if (!Array.isArray(value)) return fail({ message: `${field} must be an array`, constraint: 'isArray' }), FAIL;
    if (target.element === 'any') return value;
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      const v = jsonScalar(value[i], target.element, `${field}[${i}]`, fail);
      if (v === FAIL) return FAIL;
      out.push(v);
    }
    return out;
  }
  if (target.kind === 'object') {
    if (typeof value !== 'object' || Array.isArray(value)) return fail({ message: `${field} must be an object`, constraint: 'isObject' }), FAIL;
    return value;
  }
  return jsonScalar(value, target.kind, field, fail);
}

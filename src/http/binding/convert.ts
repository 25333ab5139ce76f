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
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

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
  return n;
}

// `new Date('2024-02-30')` rolls over to March 1st; a calendar date must exist as written.
function calendarDateExists(value: string): boolean {
  const [y, m, d] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const probe = new Date(Date.UTC(y, m - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
}

function toDate(value: string, field: string, fail: (f: ConversionFailure) => void): unknown {
  const date = ISO_DATE.test(value) && calendarDateExists(value) ? new Date(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) {
    return fail({ message: `${field} must be an ISO-8601 date`, constraint: 'isDate' }), FAIL;
  }
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

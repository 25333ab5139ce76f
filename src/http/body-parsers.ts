import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parse as parseQuery } from 'fast-querystring';
import { HttpError } from '../errors/http-error';
import { isForbiddenKey } from './request-line';

/** Caps applied to every parsed body, within the byte limit (SPEC §4.4; RELIABILITY B). */
export interface BodyLimits {
  maxDepth: number;
  maxStringLength: number;
  maxArrayLength: number;
  /** Most keys in one object (default 1,000): a wide object costs in every later step (binding, validation, logging). */
  maxObjectKeys?: number;
}

const DEFAULT_MAX_OBJECT_KEYS = 1000;

/**
 * Walks a parsed body without recursion: nesting deeper than `maxDepth`, NUL in strings or keys,
 * objects wider than `maxObjectKeys` and prototype keys are rejected with a 400 (never a stack overflow or a polluted object).
 */
export function checkParsedBody(value: unknown, limits: BodyLimits): string | undefined {
  const { maxDepth, maxStringLength, maxArrayLength, maxObjectKeys = DEFAULT_MAX_OBJECT_KEYS } = limits;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node === 'string') {
      if (node.includes('\u0000')) return 'strings must not contain NUL characters';
      if (node.length > maxStringLength) return `a string is longer than ${maxStringLength} characters`;
      // JSON may escape a lone surrogate ("\ud800"): not Unicode text, and validator.js rules
      // (isEmail, isURL…) throw URIError on it — a 400 here, never a 500 there.
      if (!isWellFormed(node)) return 'strings must be valid Unicode (a lone surrogate was sent)';
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    if (depth > maxDepth) return `body is nested deeper than ${maxDepth} levels`;
    if (Array.isArray(node)) {
      if (node.length > maxArrayLength) return `an array has more than ${maxArrayLength} items`;
      for (const item of node) stack.push([item, depth + 1]);
      continue;
    }
    const keys = Object.keys(node);
    if (keys.length > maxObjectKeys) return `an object has more than ${maxObjectKeys} keys`;
    for (const key of keys) {
      if (isForbiddenKey(key) || key.includes('\u0000') || !isWellFormed(key)) return `key ${JSON.stringify(key.replaceAll('\u0000', '\\0'))} is not allowed`;
      stack.push([(node as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return undefined;
}

/**
 * Replaces Fastify's parsers with Lokstra's: JSON (Fastify's own parser with prototype-poisoning
 * protection, plus a depth/NUL check) and urlencoded forms. Anything else, `text/plain` included,
 * is answered 415 by Fastify; per-route narrowing (`accepts`) is checked in the route handler.
 */
export function registerBodyParsers(app: FastifyInstance, limits: BodyLimits): void {
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req: FastifyRequest, body: string | Buffer, done) => {
    // Postman, axios and Angular send `Content-Type: application/json` with no body on POST/DELETE:
    // that is "no body" (body-less handlers run; a required DTO body is a 400 VALIDATION_ERROR).
    if (isBlank(body as string)) return done(null, undefined);
    json(req, body as string, (err: Error | null, value?: unknown) => {
      if (err) return done(err, undefined);
      const problem = checkParsedBody(value, limits);
      if (problem !== undefined) return done(HttpError.badRequest(problem), undefined);
      done(null, value);
    });
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    if (isBlank(body as string)) return done(null, undefined);
    if (looksLikeJson(body as string)) return done(new HttpError(415, JSON_AS_FORM, { code: 'UNSUPPORTED_MEDIA_TYPE' }), undefined);
    const value = parseQuery(body as string) as Record<string, unknown>;
    const problem = checkParsedBody(value, { ...limits, maxDepth: 2 });
    if (problem !== undefined) return done(HttpError.badRequest(problem), undefined);
    done(null, { ...value });
  });
}

// `curl -d '{"a":1}'` sends JSON as a form: one key that is the whole JSON text and no '='.
const JSON_AS_FORM = 'The body looks like JSON but was sent as application/x-www-form-urlencoded (curl -d does this): send it with Content-Type: application/json';

function isBlank(body: string): boolean {
  return body.length === 0 || body.trim().length === 0;
}

function looksLikeJson(body: string): boolean {
  const t = body.trimStart();
  return (t.startsWith('{') || t.startsWith('[')) && !body.includes('=');
}

// String.prototype.isWellFormed (Node 20+; typed from ES2024 lib, which this project does not target).
function isWellFormed(s: string): boolean {
  return (s as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/** The 415 message for a body whose content type is missing or not parsed by Lokstra: says what to send. */
export function unsupportedMediaMessage(contentType: string | undefined): string {
  if (contentType === undefined || contentType.trim() === '') {
    return 'The request has a body but no Content-Type: send JSON with Content-Type: application/json (or a form with application/x-www-form-urlencoded)';
  }
  const media = (contentType.split(';')[0] ?? '').trim().slice(0, 100).replace(/[^\x20-\x7e]/g, '?');
  return `Content-Type '${media}' is not accepted: send JSON with Content-Type: application/json (or a form with application/x-www-form-urlencoded)`;
}

/** The accept family of a request's content type, or `undefined` when it has no body type. */
export function contentKind(contentType: string | undefined): 'json' | 'form' | 'multipart' | 'other' | undefined {
  if (contentType === undefined) return undefined;
  const media = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (media === 'application/json') return 'json';
  if (media === 'application/x-www-form-urlencoded') return 'form';
  if (media === 'multipart/form-data') return 'multipart';
  return 'other';
}

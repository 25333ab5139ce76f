import type { ReturnsMeta } from '../metadata/types';
import type { JsonSchema } from '../schema/index';
import type { SchemaComponents } from './components';

/** An OpenAPI response object. */
export interface OpenApiResponse {
  description: string;
  content?: Record<string, { schema: JsonSchema }>;
  headers?: Record<string, unknown>;
}

const JSON_TYPE = 'application/json';

const PAGINATION: JsonSchema = {
  type: 'object',
  properties: {
    page: { type: 'integer' }, pageSize: { type: 'integer' }, total: { type: 'integer' },
    totalPages: { type: 'integer' }, hasNext: { type: 'boolean' }, hasPrev: { type: 'boolean' },
  },
  required: ['page', 'pageSize', 'total', 'totalPages', 'hasNext', 'hasPrev'],
};

const META: JsonSchema = { type: 'object', properties: { pagination: { $ref: '#/components/schemas/Pagination' } }, additionalProperties: true };

// One shape for every error (Envelope in response.ts): `errors` maps field paths to messages on
// VALIDATION_ERROR and is absent otherwise (a malformed request is a 400 without it).
const ERROR_ENVELOPE: JsonSchema = {
  type: 'object',
  properties: {
    code: { type: 'string' }, success: { const: false }, message: { type: 'string' },
    meta: { type: 'object', additionalProperties: true },
    errors: { type: 'object', description: 'Field path → messages (VALIDATION_ERROR).', additionalProperties: { type: 'array', items: { type: 'string' } } },
  },
  required: ['code', 'success', 'message'],
};

/** The standard error responses (`components.responses`): status → [name, description, envelope codes]. */
const ERRORS: Record<number, [string, string, string[]]> = {
  400: ['BadRequest', 'Validation failed (`errors` maps each field to its messages) or a malformed request', ['VALIDATION_ERROR', 'BAD_REQUEST']],
  401: ['Unauthorized', 'Missing or invalid credentials', ['UNAUTHORIZED']],
  403: ['Forbidden', 'Authenticated, but not allowed', ['FORBIDDEN', 'CSRF_INVALID']],
  404: ['NotFound', 'No such resource', ['NOT_FOUND']],
  413: ['PayloadTooLarge', 'The body exceeds the size limit', ['PAYLOAD_TOO_LARGE']],
  415: ['UnsupportedMediaType', 'The body\'s content type is not accepted', ['UNSUPPORTED_MEDIA_TYPE']],
  429: ['TooManyRequests', 'Rate limit exceeded (see `Retry-After`)', ['RATE_LIMITED']],
  500: ['InternalError', 'Unexpected server error (details are only logged)', ['INTERNAL_ERROR']],
};

/** Adds the envelope schemas and the standard error responses; returns the error response `$ref`s. */
export function errorResponses(components: SchemaComponents, responses: Record<string, OpenApiResponse>): Record<number, { $ref: string }> {
  components.own('ErrorEnvelope', ERROR_ENVELOPE);
  components.own('Pagination', PAGINATION);
  const refs: Record<number, { $ref: string }> = {};
  for (const [status, [name, description, codes]] of Object.entries(ERRORS)) {
    responses[name] = { description: `${description}. Codes: ${codes.join(', ')}.`, content: { [JSON_TYPE]: { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } } };
    refs[Number(status)] = { $ref: `#/components/responses/${name}` };
  }
  return refs;
}

/** A success envelope whose `data` is `data` (`code`, `success: true`, `message`, `data`, `meta`). */
export function successEnvelope(data: JsonSchema | undefined): JsonSchema {
  return {
    type: 'object',
    properties: {
      code: { type: 'string' }, success: { const: true }, message: { type: 'string' },
      data: data ?? {}, meta: META,
    },
    required: data === undefined ? ['code', 'success'] : ['code', 'success', 'data'],
  };
}

/** The success responses of a route: one per `@Returns` status, or a generic 200 envelope. */
export function successResponses(returns: readonly ReturnsMeta[], components: SchemaComponents, envelope: boolean): Record<string, OpenApiResponse> {
  const out: Record<string, OpenApiResponse> = {};
  if (returns.length === 0) {
    out['200'] = { description: 'Success', content: { [JSON_TYPE]: { schema: envelope ? successEnvelope(undefined) : {} } } };
    return out;
  }
  for (const r of returns) {
    const ref = components.ref(r.type);
    const data = r.array ? { type: 'array', items: ref } : ref;
    out[String(r.status)] ??= { description: r.description ?? 'Success', content: { [JSON_TYPE]: { schema: envelope ? successEnvelope(data) : data } } };
  }
  return out;
}

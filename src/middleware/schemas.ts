/**
 * JSON Schemas of the built-in middleware configs, checked at boot for every use (YAML or code).
 * `lokstra.schema.json` carries the same schemas under `middlewareObject` (with `$ref`s to its
 * duration and size definitions); `test/middleware/schemas.test.ts` keeps the two equal.
 */
import { AUTH_CONFIG_SCHEMAS } from './schemas-auth';
import { CACHE_CONFIG_SCHEMA } from './schemas-cache';

const duration = {
  description: 'A duration: 500ms, 30s, 5m, 1h, or milliseconds.',
  oneOf: [{ type: 'string', pattern: '^\\d+(\\.\\d+)?\\s*(ms|s|m|h)?$' }, { type: 'number', minimum: 0 }],
};

const size = {
  description: 'A size: 512kb, 1mb, or bytes.',
  oneOf: [{ type: 'string', pattern: '^\\d+(\\.\\d+)?\\s*([kKmMgG]?[bB])?$' }, { type: 'integer', minimum: 1 }],
};

/** Helmet options by their snake_case names; each is `false` (off) or that option's helmet object. */
export const HELMET_OPTIONS = {
  content_security_policy: 'contentSecurityPolicy',
  cross_origin_embedder_policy: 'crossOriginEmbedderPolicy',
  cross_origin_opener_policy: 'crossOriginOpenerPolicy',
  cross_origin_resource_policy: 'crossOriginResourcePolicy',
  origin_agent_cluster: 'originAgentCluster',
  referrer_policy: 'referrerPolicy',
  strict_transport_security: 'strictTransportSecurity',
  x_content_type_options: 'xContentTypeOptions',
  x_dns_prefetch_control: 'xDnsPrefetchControl',
  x_download_options: 'xDownloadOptions',
  x_frame_options: 'xFrameOptions',
  x_permitted_cross_domain_policies: 'xPermittedCrossDomainPolicies',
  x_powered_by: 'xPoweredBy',
  x_xss_protection: 'xXssProtection',
} as const;

const helmetOption = { description: 'false turns the header off; an object is passed to helmet (keys may be snake_case).', type: ['boolean', 'object'] };

const compression = {
  type: 'object',
  additionalProperties: false,
  properties: {
    threshold: { type: 'integer', description: 'Minimum body size in bytes to compress. Default 1024.', minimum: 0 },
    encodings: { type: 'array', items: { enum: ['gzip', 'deflate', 'br'] }, minItems: 1, description: 'Encodings offered, in preference order. Default [gzip, deflate, br].' },
    level: { type: 'integer', description: 'Compression level: 0-9 for gzip/deflate (higher values are capped at 9), 0-11 for br. Default: zlib 6, br 4.', minimum: 0, maximum: 11 },
  },
};

/** The config schema of each built-in middleware, by name. */
export const BUILTIN_CONFIG_SCHEMAS: Record<string, Record<string, unknown>> = {
  recovery: {
    type: 'object',
    additionalProperties: false,
    properties: { enable_stack_trace: { type: 'boolean', description: 'Log stack traces (never sent to clients). Default true.' } },
  },
  request_id: {
    type: 'object',
    additionalProperties: false,
    properties: { header: { type: 'string', pattern: '^[A-Za-z0-9-]+$', description: 'Header carrying the request id. Default x-request-id.' } },
  },
  request_logger: {
    type: 'object',
    additionalProperties: false,
    properties: {
      include_request_body: { type: 'boolean', description: 'Log request bodies (secret fields redacted). Default false.' },
      include_response_body: { type: 'boolean', description: 'Log response bodies (secret fields redacted). Default false.' },
      include_headers: { type: 'boolean', description: 'Log request headers (authorization, cookie, x-api-key and secret-named ones redacted). Default false.' },
    },
  },
  slow_request_logger: {
    type: 'object',
    additionalProperties: false,
    properties: { threshold: { ...duration, description: 'Log requests slower than this. Default 500ms.' } },
  },
  compression,
  gzipcompression: compression,
  cors: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allowed_origins: { type: 'array', items: { type: 'string' }, description: 'Origins allowed (`*`, exact, or `https://*.example.com`). Default ["*"].' },
      allowed_methods: { type: 'array', items: { type: 'string' }, description: 'Methods allowed in preflight. Default GET, HEAD, POST, PUT, PATCH, DELETE.' },
      allowed_headers: { type: 'array', items: { type: 'string' }, description: 'Request headers allowed in preflight. Default: those the preflight asks for.' },
      exposed_headers: { type: 'array', items: { type: 'string' }, description: 'Response headers exposed to scripts. Default none.' },
      allow_credentials: { type: 'boolean', description: 'Send Access-Control-Allow-Credentials. Default false.' },
      max_age: { type: 'integer', description: 'Preflight cache seconds. Default 86400.', minimum: 0 },
    },
  },
  body_limit: {
    type: 'object',
    additionalProperties: false,
    properties: {
      max_size: { ...size, description: 'Largest accepted body. Default 10mb.' },
      skip_on_path: { type: 'array', items: { type: 'string' }, description: 'Route path patterns the limit does not apply to (`*` one segment, `**` the rest).' },
    },
  },
  timeout: {
    type: 'object',
    additionalProperties: false,
    properties: { duration: { ...duration, description: 'Handler deadline; exceeded → 503.' } },
    required: ['duration'],
  },
  security_headers: {
    type: 'object',
    additionalProperties: false,
    description: 'helmet options by snake_case name; each false or an object.',
    properties: Object.fromEntries(Object.keys(HELMET_OPTIONS).map((k) => [k, helmetOption])),
  },
  ...AUTH_CONFIG_SCHEMAS,
  cache: CACHE_CONFIG_SCHEMA as unknown as Record<string, unknown>,
};

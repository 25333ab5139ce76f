/**
 * JSON Schemas of the authentication and abuse-protection middleware (`src/auth/`), merged into
 * `BUILTIN_CONFIG_SCHEMAS`; `lokstra.schema.json` carries the same under `middlewareObject`.
 */

const duration = {
  description: 'A duration: 500ms, 30s, 5m, 1h, or milliseconds.',
  oneOf: [{ type: 'string', pattern: '^\\d+(\\.\\d+)?\\s*(ms|s|m|h)?$' }, { type: 'number', minimum: 0 }],
};

const stringOrList = { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };
const names = { type: 'array', items: { type: 'string', minLength: 1 } };

const jwt = {
  type: 'object',
  additionalProperties: false,
  required: ['algorithms'],
  properties: {
    secret: { type: 'string', minLength: 1, description: 'HMAC secret (HS256/384/512), at least 32 bytes. Use ${env:…} or ${file:…}.' },
    public_key: { type: 'string', minLength: 1, description: 'PEM public key or certificate (RS*, PS*, ES*, EdDSA).' },
    jwks_url: { type: 'string', minLength: 1, description: 'JWKS endpoint; fetched on first use, cached, re-fetched on an unknown kid at most once per 30 s.' },
    algorithms: {
      type: 'array', minItems: 1, description: 'Accepted algorithms (required; none is never accepted).',
      items: { enum: ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] },
    },
    issuer: { ...stringOrList, description: 'Required iss (one of). Default: not checked.' },
    audience: { ...stringOrList, description: 'Required aud (one of). Default: not checked.' },
    clock_tolerance: { ...duration, description: 'Leeway for exp/nbf/iat. Default 30s.' },
    header: { type: 'string', pattern: '^[A-Za-z0-9-]+$', description: 'Header carrying the token. Default authorization.' },
    scheme: { type: 'string', pattern: '^[A-Za-z0-9-]*$', description: 'Scheme before the token in the header; empty for a bare token. Default Bearer.' },
    cookie: { type: 'string', minLength: 1, description: 'Cookie read when the header is absent. Default none.' },
    optional: { type: 'boolean', description: 'Let requests without a token through (no ctx.auth); bad tokens are still 401. Default false.' },
    roles_claim: { type: 'string', minLength: 1, description: 'Claim holding the roles (array or space-separated). Default roles.' },
    scopes_claim: { type: 'string', minLength: 1, description: 'Claim holding the scopes. Default scope, else scp.' },
    max_token_length: { type: 'integer', minimum: 64, description: 'Longer tokens are refused before parsing. Default 8192.' },
    jwks_timeout: { ...duration, description: 'Longest wait for the JWKS endpoint; slower or down → 503. Default 3s.' },
    jwks_cache: { ...duration, description: 'How long a fetched JWKS is used before re-fetching. Default 10m.' },
  },
};

const apiKey = {
  type: 'object',
  additionalProperties: false,
  properties: {
    header: { type: 'string', pattern: '^[A-Za-z0-9-]+$', description: 'Header carrying the key. Default x-api-key.' },
    query: { type: 'string', minLength: 1, description: 'Query parameter also accepted (keys leak into logs and history). Default: off.' },
    keys: {
      type: 'array', description: 'Accepted keys, stored hashed.',
      items: {
        type: 'object', additionalProperties: false, required: ['id', 'hash'],
        properties: {
          id: { type: 'string', minLength: 1, description: 'ctx.auth.subject for this key.' },
          hash: { type: 'string', pattern: '^sha256:[0-9a-fA-F]{64}$', description: 'sha256:<hex> of the key.' },
          scopes: names,
          roles: names,
        },
      },
    },
    store: { type: 'string', minLength: 1, description: 'Service with get(key) holding {id, scopes, roles} under <store_prefix><sha256 hex>.' },
    store_prefix: { type: 'string', description: 'Key prefix in the store. Default api_key:.' },
    optional: { type: 'boolean', description: 'Let requests without a key through. Default false.' },
  },
};

const authorize = {
  type: 'object',
  additionalProperties: false,
  properties: {
    roles: { ...names, description: 'Roles required in ctx.auth.roles.' },
    scopes: { ...names, description: 'Scopes required in ctx.auth.scopes.' },
    any: { type: 'boolean', description: 'true: any one listed role or scope is enough. Default false (all of them).' },
  },
};

const rateLimit = {
  type: 'object',
  additionalProperties: false,
  properties: {
    max: { type: 'integer', minimum: 0, description: 'Requests allowed per window and key. Default 100.' },
    window: { ...duration, description: 'The fixed window. Default 1m.' },
    key: { type: 'string', pattern: '^(ip|user|api_key|header:[A-Za-z0-9-]+)$', description: 'What is counted: ip (IPv6 by /64), user, api_key or header:<name>; without one, the address. Default ip.' },
    store: { type: 'string', minLength: 1, description: 'memory, or the name of a lokstra.redis service (instances share the budget). Default memory.' },
    on_store_error: { enum: ['fail_closed', 'fail_open'], description: 'When the store fails or times out: 503 (fail_closed) or let the request through. Default fail_closed.' },
    store_timeout: { ...duration, description: 'Longest wait for the store. Default 500ms.' },
    namespace: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$', description: 'Budget name in the store. Default: derived from key, max and window.' },
    cache_size: { type: 'integer', minimum: 1, description: 'Keys kept by the memory store (LRU). Default 10000.' },
  },
};

const session = {
  type: 'object',
  additionalProperties: false,
  required: ['secret'],
  properties: {
    secret: { type: 'string', minLength: 32, description: 'Cookie signing secret, at least 32 characters. Use ${env:…}.' },
    cookie: {
      type: 'object', additionalProperties: false, description: 'The session cookie (always HttpOnly, path /).',
      properties: {
        name: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$', description: 'Cookie name. Default sid.' },
        secure: { oneOf: [{ type: 'boolean' }, { const: 'auto' }], description: 'Secure flag; auto = only over HTTPS (behind a proxy, with trust_proxy). Default auto.' },
        same_site: { enum: ['lax', 'strict', 'none'], description: 'SameSite. Default lax.' },
        max_age: { ...duration, description: 'Session lifetime (cookie Max-Age and store TTL). Default 1d.' },
        domain: { type: 'string', minLength: 1, description: 'Cookie domain. Default: the host only.' },
      },
    },
    store: { type: 'string', minLength: 1, description: 'memory, or the name of a lokstra.kvstore_* service (Redis: shared by instances). Default memory.' },
    rolling: { type: 'boolean', description: 'Re-send the cookie (and extend the TTL) on every response. Default true.' },
  },
};

const csrf = {
  type: 'object',
  additionalProperties: false,
  properties: {
    cookie: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$', description: 'Cookie holding the secret (HttpOnly, SameSite=Strict). Default _csrf.' },
    header: { type: 'string', pattern: '^[A-Za-z0-9-]+$', description: 'Header carrying the token. Default x-csrf-token.' },
    field: { type: 'string', minLength: 1, description: 'Form field carrying the token. Default _csrf.' },
  },
};

const oauth2 = {
  type: 'object',
  additionalProperties: false,
  required: ['client_id', 'on_login'],
  properties: {
    discovery_url: { type: 'string', minLength: 1, description: 'OIDC issuer (or its /.well-known/openid-configuration); read at boot.' },
    authorize_url: { type: 'string', minLength: 1, description: 'Authorization endpoint, without discovery.' },
    token_url: { type: 'string', minLength: 1, description: 'Token endpoint, without discovery.' },
    jwks_url: { type: 'string', minLength: 1, description: 'JWKS for ID tokens, without discovery.' },
    issuer: { type: 'string', minLength: 1, description: 'Expected ID-token iss, without discovery.' },
    client_id: { type: 'string', minLength: 1, description: 'Client id at the provider.' },
    client_secret: { type: 'string', description: 'Client secret. Use ${env:…}.' },
    scope: { ...stringOrList, description: 'Scopes asked for. Default openid.' },
    start_path: { type: 'string', pattern: '^/', description: 'Path that redirects to the provider. Default /auth/login.' },
    callback_path: { type: 'string', pattern: '^/', description: 'Path the provider redirects back to. Default /auth/callback.' },
    callback_uri: { type: 'string', minLength: 1, description: 'Absolute redirect_uri registered at the provider. Default: built from the request and callback_path.' },
    on_login: { type: 'string', minLength: 1, description: 'Handler called as (ctx, { tokens, claims }) after a successful login; its result is the response.' },
  },
};

/** The config schema of each auth middleware, by name. */
export const AUTH_CONFIG_SCHEMAS: Record<string, Record<string, unknown>> = {
  jwt,
  api_key: apiKey,
  authorize,
  rate_limit: rateLimit,
  session,
  csrf,
  oauth2,
};

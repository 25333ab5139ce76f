/** The CORS origins of the sample's `admin` app (lokstra.config.yaml), used by every middleware variant. */
export const CORS_ORIGINS = ['http://localhost:5173', 'https://*.admin.example.com'];

/**
 * "Lokstra + built-ins": the built-ins that have a Fastify plugin peer (servers/fastify-plugins.ts),
 * each with the config that matches the plugin's: request ids echoed, a request log at info (the
 * server runs at warn, so lines are skipped), CORS as the sample configures it, helmet's and
 * compression's defaults.
 */
export const BUILTIN_MIDDLEWARE = [
  'request_id',
  'request_logger',
  { name: 'cors', config: { allowed_origins: CORS_ORIGINS, allow_credentials: true, exposed_headers: ['x-request-id'] } },
  'security_headers',
  'compression',
];

import type { Registry } from '../container/registry';
import { AUTH_CONFIG_SCHEMAS } from '../middleware/schemas-auth';
import type { FastifyMiddleware } from '../middleware/types';
import { apiKey } from './api-key';
import { authorize, publicRoute } from './authorize';
import { AUTHORIZE_CLASS, AUTHORIZE_METHOD, PUBLIC_MIDDLEWARE } from './decorators';
import { jwt } from './jwt';
import { rateLimit } from './rate-limit';
import { session } from './session';
import { csrf } from './csrf';
import { oauth2 } from './oauth2';

// rate_limit by address (55) runs before authentication (60), which runs before authorize (70),
// all in onRequest after body_limit/timeout (50); rate_limit by user or API key moves to preHandler.
const AUTH_MIDDLEWARE: [string, FastifyMiddleware, number, Record<string, unknown> | undefined][] = [
  ['session', session, 45, AUTH_CONFIG_SCHEMAS.session],
  ['csrf', csrf, 47, AUTH_CONFIG_SCHEMAS.csrf],
  ['oauth2', oauth2, 48, AUTH_CONFIG_SCHEMAS.oauth2],
  ['rate_limit', rateLimit, 55, AUTH_CONFIG_SCHEMAS.rate_limit],
  ['jwt', jwt, 60, AUTH_CONFIG_SCHEMAS.jwt],
  ['api_key', apiKey, 60, AUTH_CONFIG_SCHEMAS.api_key],
  ['authorize', authorize, 70, AUTH_CONFIG_SCHEMAS.authorize],
  [AUTHORIZE_CLASS, authorize, 71, AUTH_CONFIG_SCHEMAS.authorize],
  [AUTHORIZE_METHOD, authorize, 72, AUTH_CONFIG_SCHEMAS.authorize],
  [PUBLIC_MIDDLEWARE, publicRoute, 1, { type: 'object', additionalProperties: false }],
];

/** Registers `session`, `csrf`, `oauth2`, `rate_limit`, `jwt`, `api_key`, `authorize` and the decorators' middleware on a registry. */
export function registerAuthMiddleware(registry: Registry): void {
  for (const [name, impl, priority, configSchema] of AUTH_MIDDLEWARE) {
    registry.middleware(name, impl, configSchema === undefined ? { priority } : { priority, configSchema });
  }
}

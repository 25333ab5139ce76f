import type { FastifyRequest } from 'fastify';
import type { FastifyMiddleware } from '../middleware/types';
import { RAW_BODY_ROUTE } from '../http/request-guards';

/** Name under which {@link proxyBody} is registered (attached by `mountReverseProxy`, not meant for YAML). */
export const PROXY_BODY_MIDDLEWARE = 'lokstra.proxy_body';

// Seen by Fastify's body-parsing step only: with no body headers it calls the handler without
// reading the body, whatever its content type, so the proxy can stream the client's bytes as sent.
const NO_BODY_HEADERS = { 'content-type': undefined, 'content-length': undefined, 'transfer-encoding': undefined };

type HeaderOverride = Omit<FastifyRequest, 'headers'> & { headers: Record<string, unknown> | undefined };

/**
 * Fastify-phase middleware of reverse-proxy routes: the request body is left unparsed (no 415 for
 * other content types, no JSON re-serialisation) so it can be forwarded byte for byte. The body
 * headers are hidden from Fastify's parser during parsing only (`preParsing` → `preValidation`);
 * handlers, hooks and the proxy see the client's headers.
 */
export const proxyBody: FastifyMiddleware = {
  build: () => ({
    // Marks the route as taking its body raw: the Content-Encoding guard lets compressed bodies through.
    options: { config: { [RAW_BODY_ROUTE]: true } },
    hooks: {
      preParsing: async (req: HeaderOverride, _reply: unknown, payload: unknown) => {
        req.headers = NO_BODY_HEADERS;
        return payload;
      },
      preValidation: async (req: HeaderOverride) => {
        req.headers = undefined;
      },
    },
  }),
};

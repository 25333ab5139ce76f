import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Context, FastifyMiddleware, MiddlewareFn } from '../../src/index';

/** A `(ctx, next)` middleware: it wraps the handler, and may answer without calling `next()`. */
export function adminToken(config: Record<string, unknown>): MiddlewareFn {
  const token = String(config.token);
  return async (ctx: Context, next) => (ctx.headers['x-admin-token'] === token ? next() : ctx.errorUnauthorized('admin token required'));
}

/**
 * A Fastify-phase middleware: `setup` runs once on each listener that uses it (register Fastify
 * plugins there); `build` runs once per use with its config and returns the hooks (and route
 * options) of every route it covers. Used at app level, its hooks also see 404s and 405s.
 */
export const apiVersion: FastifyMiddleware = {
  async setup(fastify) {
    await fastify.register(async function versionInfo(instance) {
      instance.get('/_version', async () => ({ code: 'OK', success: true, data: { middleware: 'api_version' } }));
    });
  },
  build(config) {
    const version = String(config.version);
    return {
      hooks: {
        onSend: (_req: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, p: unknown) => void) => {
          reply.header('x-api-version', version);
          done(null, payload);
        },
      },
    };
  },
};

/** The JSON Schemas of their configs, checked at boot wherever they are used (YAML or code). */
export const adminTokenSchema = {
  type: 'object', additionalProperties: false, required: ['token'], properties: { token: { type: 'string', minLength: 8 } },
};
export const apiVersionSchema = {
  type: 'object', additionalProperties: false, required: ['version'], properties: { version: { type: 'string', pattern: '^\\d+\\.\\d+$' } },
};

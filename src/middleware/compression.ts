import { constants } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { optional } from '../internal/optional';
import { appendVary } from '../internal/vary';
import type { FastifyMiddleware } from './types';

const DEFAULT_ENCODINGS = ['gzip', 'deflate', 'br'];

// Responses that could have been compressed vary by Accept-Encoding even when this one was not
// (no or identity Accept-Encoding): say so, or a shared cache may hand the plain body to everyone.
// Lower-case, as @fastify/compress checks for it before adding its own.
function varyOnEncoding(threshold: number) {
  return (_req: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, p: unknown) => void): void => {
    const eligible = payload !== null && payload !== undefined
      && (typeof payload === 'object' && typeof (payload as { pipe?: unknown }).pipe === 'function'
        || (typeof payload === 'string' || Buffer.isBuffer(payload)) && Buffer.byteLength(payload) >= threshold);
    if (eligible) appendVary(reply, 'accept-encoding');
    done(null, payload);
  };
}

/**
 * `compression` (alias `gzipcompression`): gzip, deflate or br by `Accept-Encoding`, above
 * `threshold` bytes (default 1024), through @fastify/compress (registered once per listener with
 * `global: false`, configured per route). Streams are compressed as they flow; a body that already
 * has a `Content-Encoding` is never compressed twice.
 */
export const compression: FastifyMiddleware = {
  async setup(fastify) {
    await fastify.register(optional.fastifyCompress(), { global: false });
  },
  build(config) {
    const threshold = typeof config.threshold === 'number' ? config.threshold : 1024;
    const encodings = Array.isArray(config.encodings) ? config.encodings : DEFAULT_ENCODINGS;
    const level = typeof config.level === 'number' ? config.level : undefined;
    const compress: Record<string, unknown> = { threshold, encodings };
    if (level !== undefined) {
      compress.zlibOptions = { level: Math.min(level, 9) };
      compress.brotliOptions = { params: { [constants.BROTLI_PARAM_QUALITY]: level } };
    }
    return { options: { compress }, hooks: { onSend: varyOnEncoding(threshold) } };
  },
};

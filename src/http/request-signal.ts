import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

// Fastify 5 (5.12.8) ties `request.signal`, and the clearing of a route's handler-timeout timer, to
// the raw request's 'close' event. On Node >= 16 that event fires as soon as a request *body* has
// been read, so on every POST/PUT/PATCH with a body the signal was aborted before the handler ran
// (cancelling its database queries) and `handler_timeout`/`timeout` never fired. Lokstra ties both
// to the response instead: they abort only when the connection closes before the response finished.

type Indexed = Record<symbol, unknown>;

const keys = new Map<string, symbol | undefined>();

// Fastify's own symbols (lib/symbols.js); found by description on a request if that file moves.
function knownKeys(): Record<string, symbol> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sym = require('fastify/lib/symbols') as Record<string, unknown>;
    const out: Record<string, symbol> = {};
    for (const v of Object.values(sym)) if (typeof v === 'symbol' && v.description !== undefined) out[v.description] = v;
    return out;
  } catch {
    return {};
  }
}
const KNOWN = knownKeys();

/** One of Fastify's internal request symbols, by description (looked up once, then cached). */
export function fastifyKey(req: FastifyRequest, description: string): symbol | undefined {
  const known = KNOWN[description];
  if (known !== undefined) return known;
  if (keys.has(description)) return keys.get(description);
  const key = Object.getOwnPropertySymbols(req).find((s) => s.description === description);
  if (key !== undefined) keys.set(description, key);
  return key;
}

/** Runs `fn` once if the connection closes before the response has been fully written. */
export function onClientGone(reply: FastifyReply, fn: () => void): void {
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) fn();
  });
}

/**
 * Installs the fix on a listener whose routes have a handler timeout: Fastify's abort listener
 * moves from the request's 'close' to the response's.
 */
export function installRequestSignalFix(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const key = fastifyKey(req, 'fastify.request.onAbort');
    const onAbort = key === undefined ? undefined : (req as unknown as Indexed)[key];
    if (typeof onAbort === 'function') {
      req.raw.removeListener('close', onAbort as () => void);
      onClientGone(reply, onAbort as () => void);
    }
    done();
  });
}

/**
 * The request's abort signal: Fastify's when the route has a handler timeout (aborted when it
 * fires; its close listener was moved by {@link installRequestSignalFix}), else one aborted only
 * when the client goes away before the response is complete.
 */
export function requestSignal(req: FastifyRequest, reply: FastifyReply): AbortSignal {
  const key = fastifyKey(req, 'fastify.request.signal');
  const existing = key === undefined ? undefined : (req as unknown as Indexed)[key];
  if (existing instanceof AbortController) return existing.signal;
  const ac = new AbortController();
  onClientGone(reply, () => ac.abort());
  return ac.signal;
}

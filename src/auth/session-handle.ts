import type { FastifyRequest } from 'fastify';

/** What @fastify/session puts on `request.session` (the part Lokstra uses). */
export interface RawSession {
  sessionId: string;
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  regenerate(callback: (err?: unknown) => void): void;
  regenerate(keys: string[], callback: (err?: unknown) => void): void;
  destroy(callback: (err?: unknown) => void): void;
}

/**
 * The request's session (`ctx.session`), set by the `session` middleware.
 * @example
 * await ctx.session.regenerate(); // on login: a new id, so a planted one is worthless (fixation)
 * ctx.session.set('auth', { subject: user.id, roles: user.roles });
 */
export interface SessionHandle {
  /** The session id (the cookie carries it signed). */
  readonly id: string;
  get<T = unknown>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  /** Replaces the session by a new, empty one with a new id (the old one is deleted from the store). */
  regenerate(): Promise<void>;
  /** Deletes the session; the response clears nothing but the next request starts anonymous. */
  destroy(): Promise<void>;
}

const HANDLE = Symbol.for('lokstra.sessionHandle');

function promised(run: (cb: (err?: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => run((err) => (err === undefined || err === null ? resolve() : reject(err as Error))));
}

function raw(req: FastifyRequest): RawSession | undefined {
  const s = (req as unknown as { session?: RawSession }).session;
  return s !== undefined && s !== null && typeof s.get === 'function' ? s : undefined;
}

/** The request's {@link SessionHandle}, or `undefined` when no `session` middleware covers the route. */
export function sessionOf(req: FastifyRequest): SessionHandle | undefined {
  if (raw(req) === undefined) return undefined;
  const holder = req as unknown as Record<symbol, SessionHandle | undefined>;
  // Reads `request.session` on every call: regenerate() replaces the object.
  return (holder[HANDLE] ??= {
    get id() { return (raw(req) as RawSession).sessionId; },
    get: <T>(key: string) => raw(req)?.get(key) as T | undefined,
    set: (key, value) => {
      const s = raw(req);
      // The session object carries its methods and cookie as properties: never let data shadow them.
      if (s === undefined) return;
      if (key in s && !Object.prototype.hasOwnProperty.call(s, key)) throw new TypeError(`'${key}' is reserved in a session`);
      s.set(key, value);
    },
    regenerate: () => promised((cb) => (raw(req) as RawSession).regenerate([], cb)),
    destroy: () => promised((cb) => (raw(req) as RawSession).destroy(cb)),
  });
}

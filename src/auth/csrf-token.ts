import type { FastifyRequest } from 'fastify';

/** What the `csrf` middleware leaves on a request: the header it reads and a token maker. */
export interface CsrfAccess {
  header: string;
  field: string;
  /** A token for this client (sets the secret cookie on first use); the same value within one request. */
  token(): string;
}

const CSRF = Symbol.for('lokstra.csrf');

/** The request's {@link CsrfAccess}, or `undefined` when no `csrf` middleware covers the route. */
export function csrfOf(req: FastifyRequest): CsrfAccess | undefined {
  return (req as unknown as Record<symbol, CsrfAccess | undefined>)[CSRF];
}

/** Sets the request's {@link CsrfAccess}. */
export function setCsrf(req: FastifyRequest, access: CsrfAccess): void {
  (req as unknown as Record<symbol, CsrfAccess | undefined>)[CSRF] = access;
}

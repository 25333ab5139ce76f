import { LokstraError } from '../errors/lokstra-error';
import { tokenName } from '../internal/types';

// Inversify brands its errors with these symbols; checked by symbol so a second installed copy still matches.
const INVERSIFY_BRANDS = [Symbol.for('@inversifyjs/core/InversifyCoreError'), Symbol.for('@inversifyjs/container/InversifyContainerError')];

/** True for an error thrown by Inversify itself (not by a user's constructor or factory). */
export function isInversifyError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const branded = INVERSIFY_BRANDS.some((s) => (err as Record<symbol, unknown>)[s] === true);
  return branded || /^Inversify\w*Error$/.test((err as Error).constructor?.name ?? '');
}

/**
 * The error a user sees when resolving `token` failed: Lokstra's own errors pass through, a user's
 * constructor/factory error is wrapped with its message, and Inversify's messages never reach the
 * user (they name Inversify internals) — they become a coded error with a likely fix.
 */
export function toResolveError(token: unknown, err: unknown): LokstraError {
  if (LokstraError.is(err)) return err;
  const name = tokenName(token);
  if (!isInversifyError(err)) {
    return new LokstraError('LKS_ERR_DI_RESOLVE', { token: name, detail: (err as Error)?.message ?? String(err) }, { cause: err });
  }
  const message = (err as Error).message;
  if (/ambiguous/i.test(message)) {
    return new LokstraError('LKS_ERR_DI_DUPLICATE', { kind: 'service', name }, { cause: err });
  }
  if (/no bindings? found|not bound|unbound/i.test(message)) {
    return new LokstraError('LKS_ERR_DI_NOT_FOUND', { token: name, hint: ' (register it in a module\'s services/providers, or declare it in YAML services)' }, { cause: err });
  }
  return new LokstraError('LKS_ERR_DI_RESOLVE', { token: name, detail: 'the container could not build it; check its constructor parameters (@Inject tokens, decorator metadata)' }, { cause: err });
}

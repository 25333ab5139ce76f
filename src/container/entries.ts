import { LokstraError } from '../errors/lokstra-error';
import { isLazyToken } from '../metadata/lazy-token';
import type { Scope } from '../metadata/types';
import { tokenName, type Newable, type Token } from '../internal/types';

// The container's building blocks that need no container: entries, constructor tokens, scope taint.

/** One thing the container builds: a class (its key), or a provider bound under its `provide` token. */
export interface Entry {
  key: Token;
  scope: Scope;
  names: (string | symbol)[];
  deps: Token[];
  controller: boolean;
  /** The class whose metadata gives the dependencies and which is constructed (class entries). */
  cls: Newable | undefined;
  /** A `useFactory` provider: called with its `inject` tokens resolved. */
  factory?: { fn: (...deps: unknown[]) => unknown; inject: readonly unknown[] };
}

const PRIMITIVES = new Set<unknown>([Object, String, Number, Boolean, Array, Function, Symbol, Promise, undefined]);

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

export const CYCLE_HINT = ' (constructors that need each other cannot be built: move what both need into a third service,'
  + ' or have one side resolve the other later, e.g. ctx.container.get(…) in a handler)';

// The token of constructor parameter #i: `@Inject` (a lazy `() => Class` read now, at boot) or the declared type.
export function tokenAt(consumer: string, i: number, injected: unknown, declared: unknown): Token {
  const lazy = isLazyToken(injected);
  const token = (lazy ? injected.resolve() : injected ?? declared) as Token | undefined;
  if (lazy && (token === undefined || token === null)) {
    throw new LokstraError('LKS_ERR_DI_RESOLVE', { token: consumer, detail: `constructor parameter #${i}: @Inject(() => …) returned ${String(token)} at boot` });
  }
  if (token === undefined || (PRIMITIVES.has(token) && injected === undefined)) {
    throw new LokstraError('LKS_ERR_DI_RESOLVE', {
      token: consumer,
      detail: token === Function
        ? `constructor parameter #${i} has type Function: its class was likely imported with 'import type' (which leaves no runtime class for the metadata); import it as a value, or add @Inject(token)`
        : `constructor parameter #${i} has type ${tokenName(token ?? 'unknown')}; add @Inject(token) or register the type`
          + ' (a class from a file that imports this one is still undefined when decorators run: write @Inject(() => ThatClass))',
    });
  }
  return token;
}

/**
 * The entries that must be created per request: request-scoped ones and controllers or transients
 * that depend on one. A singleton service that does is a captive dependency and a boot error.
 */
export function requestScoped(entries: readonly Entry[], entryFor: (token: Token) => Entry | undefined): Entry[] {
  const tainted = new Set<Entry>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const entry of entries) {
      if (tainted.has(entry)) continue;
      const taintedDep = entry.deps.map(entryFor).find((d) => d !== undefined && tainted.has(d));
      if (entry.scope !== 'request' && taintedDep === undefined) continue;
      if (entry.scope === 'singleton' && !entry.controller) {
        throw new LokstraError('LKS_ERR_DI_SCOPE_MISMATCH', { consumer: tokenName(entry.key), dependency: tokenName(taintedDep?.key ?? '?') });
      }
      tainted.add(entry);
      changed = true;
    }
  }
  return [...tainted];
}

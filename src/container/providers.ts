import { LokstraError } from '../errors/lokstra-error';
import { tokenName, type Class } from '../internal/types';
import type { Provider, Scope } from '../metadata/types';

/** A `{ provide, use… }` provider (plain classes are registered as services). */
export type ProviderObject = Exclude<Provider, Class>;

const KINDS = ['useValue', 'useFactory', 'useClass'] as const;
const SCOPES = new Set<unknown>(['singleton', 'transient', 'request', undefined]);

function invalid(p: unknown, module: string, detail: string): never {
  const token = typeof p === 'object' && p !== null && 'provide' in p ? tokenName((p as { provide: unknown }).provide) : '?';
  throw new LokstraError('LKS_ERR_DI_PROVIDER_INVALID', { token, module, detail });
}

/** Checks a provider's shape when its module registers (a typo here would otherwise surface as a missing service). */
export function checkProvider(p: ProviderObject, module: string): ProviderObject {
  if (typeof p !== 'object' || p === null) invalid(p, module, 'expected a class or an object { provide, useValue | useFactory | useClass }');
  const { provide } = p as { provide?: unknown };
  if (provide === undefined || provide === null || !['string', 'symbol', 'function'].includes(typeof provide)) {
    invalid(p, module, '`provide` must be a name, a symbol or a class');
  }
  const kinds = KINDS.filter((k) => k in p);
  if (kinds.length !== 1) invalid(p, module, `needs exactly one of useValue, useFactory, useClass (found ${kinds.join(', ') || 'none'})`);
  if ('useFactory' in p && typeof p.useFactory !== 'function') invalid(p, module, 'useFactory must be a function');
  if ('useFactory' in p && p.inject !== undefined && !Array.isArray(p.inject)) invalid(p, module, 'inject must be an array of tokens');
  if ('useClass' in p && typeof p.useClass !== 'function') invalid(p, module, 'useClass must be a class');
  if (!SCOPES.has((p as { scope?: Scope }).scope)) invalid(p, module, 'scope must be singleton, transient or request');
  return p;
}

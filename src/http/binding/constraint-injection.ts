import { useContainer } from 'class-validator';
import { LokstraError } from '../../errors/lokstra-error';
import { currentRequestScope, enableRequestScope } from '../../internal/request-scope';
import type { Class, Token } from '../../internal/types';
import { metadata } from '../../metadata/store';

interface Resolver { get<T>(token: Token<T>): T }

const injected = new WeakMap<object, boolean>();
// One instance per constraint class per request (class-validator asks for it for every rule call).
const perRequest = new WeakMap<object, Map<object, unknown>>();
let installed = false;

/** A custom constraint class whose constructor takes dependencies (`design:paramtypes` or `@Inject`). */
export function needsInjection(cls: object): boolean {
  let v = injected.get(cls);
  if (v === undefined) {
    v = (typeof cls === 'function' && cls.length > 0) || metadata.paramTypes(cls).length > 0 || metadata.getInject(cls).size > 0;
    injected.set(cls, v);
  }
  return v;
}

function construct(cls: Class, container: Resolver): unknown {
  try {
    return container.get(cls); // registered (a module's `services`, `@Service()`): its own scope
  } catch (err) {
    if ((err as { code?: string }).code !== 'LKS_ERR_DI_NOT_FOUND') throw err;
  }
  const types = metadata.paramTypes(cls);
  const tokens = metadata.getInject(cls);
  const count = Math.max(types.length, cls.length, ...[...tokens.keys()].map((i) => i + 1));
  const args = Array.from({ length: count }, (_, i) => container.get((tokens.get(i) ?? types[i]) as Token));
  return new (cls as unknown as new (...a: unknown[]) => unknown)(...args);
}

// Called by class-validator for every constraint instance it needs. Classes without constructor
// parameters answer `undefined`: class-validator's own container creates them as before.
function resolve(cls: Class): unknown {
  if (!needsInjection(cls)) return undefined;
  const scope = currentRequestScope() as ({ container?: Resolver } & object) | undefined;
  if (scope?.container === undefined) {
    throw new LokstraError('LKS_ERR_DI_NOT_FOUND', { token: cls.name, hint: ': a validation constraint with constructor dependencies is resolved from the container of the request being validated, and no request is being handled' });
  }
  let cache = perRequest.get(scope);
  if (cache === undefined) {
    cache = new Map();
    perRequest.set(scope, cache);
  }
  if (!cache.has(cls)) cache.set(cls, construct(cls, scope.container));
  return cache.get(cls);
}

/**
 * Lets class-validator constraint classes take constructor dependencies from the Lokstra container
 * (`@Validate(UniqueEmail)` with `constructor(db: DbPool)`): installed once per process, the first
 * time a DTO uses such a class. Instances are built per request from the request's container, so
 * request-scoped services work too; request scopes are switched on for that.
 */
export function installConstraintInjection(): void {
  if (installed) return;
  installed = true;
  enableRequestScope();
  useContainer({ get: resolve as never }, { fallback: true, fallbackOnErrors: false });
}

import { metadata } from '../metadata/store';
import { isThunk, lazyToken } from '../metadata/lazy-token';
import type { Class, Scope, Token } from '../metadata/types';

/** Options of {@link Service}. */
export interface ServiceOptions {
  /** `singleton` (default), `transient`, or `request` (one per HTTP request). */
  scope?: Scope;
  /** Also register under this name, for `@Inject('name')` and YAML. */
  name?: string | symbol;
}

/**
 * Registers a class as a service in the container (singleton by default).
 * @example
 * @Service()
 * class UserService { constructor(@Inject('db.main') private db: DbPool) {} }
 */
export function Service(options: ServiceOptions = {}): ClassDecorator {
  return (target) => metadata.setService(target, { scope: options.scope ?? 'singleton', name: options.name });
}

/**
 * Injects a dependency by token (a name, symbol or class) instead of by declared type. A thunk
 * `() => Class` is a lazy token, read at boot: use it when the class comes from a file that imports
 * this one (an import cycle leaves it undefined while decorators run).
 * @example
 * constructor(@Inject('cache') private cache: KvStore) {}
 * constructor(@Inject(() => OrderService) private orders: OrderService) {}
 */
export function Inject(token: Token | (() => Class)): ParameterDecorator {
  return (target, propertyKey, index) => {
    if (propertyKey !== undefined) {
      throw new TypeError(`@Inject on ${(target.constructor as { name?: string }).name ?? '?'}.${String(propertyKey)}: only constructor parameters can be injected`);
    }
    metadata.setInject(target, index, isThunk(token) ? lazyToken(token) : token);
  };
}

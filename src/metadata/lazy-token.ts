import type { Class, Token } from '../internal/types';

const LAZY = Symbol.for('lokstra:lazy-token');

/** A token computed at boot, for classes that are still undefined when decorators run (import cycles). */
export interface LazyToken {
  readonly [LAZY]: true;
  readonly resolve: () => Token | undefined;
}

/** True for a function written as a thunk `() => Class` (arrow functions have no prototype; classes do). */
export function isThunk(value: unknown): value is () => Class {
  return typeof value === 'function' && !Object.prototype.hasOwnProperty.call(value, 'prototype');
}

/** Wraps a thunk `() => Class` as a lazy token. */
export function lazyToken(thunk: () => Token | undefined): LazyToken {
  return { [LAZY]: true, resolve: thunk };
}

/** True for a token made by {@link lazyToken}. */
export function isLazyToken(value: unknown): value is LazyToken {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[LAZY] === true;
}

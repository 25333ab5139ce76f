/** A class constructor. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Class<T = any> = abstract new (...args: any[]) => T;

/** A constructable class. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Newable<T = any> = new (...args: any[]) => T;

/** A DI token: a class, a string name or a symbol. */
export type Token<T = unknown> = Class<T> | string | symbol;

/** A human-readable name for a token. */
export function tokenName(token: unknown): string {
  if (typeof token === 'function') return token.name || '<anonymous class>';
  if (typeof token === 'symbol') return token.description ?? token.toString();
  return String(token);
}

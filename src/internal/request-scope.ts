import { AsyncLocalStorage } from 'node:async_hooks';

/** What a request scope holds: anything with an abort signal (Fastify's request, read lazily). */
export interface RequestScope {
  readonly signal: AbortSignal;
}

const storage = new AsyncLocalStorage<RequestScope>();

// AsyncLocalStorage costs ~1 µs per request (measured: 2–7 % of an empty GET), so scopes are only
// entered once something can read them — a DbPool was created in this process.
let enabled = false;

/** Turns request scopes on for this process (called by the consumers of {@link currentRequestSignal}). */
export function enableRequestScope(): void {
  enabled = true;
}

/**
 * Runs a handler inside its request's scope, so code it calls — a `DbPool` query three services
 * down — can find the request's `signal` without it being passed along. The scope holds the
 * request itself; its `signal` is only created when something asks for it.
 */
export function runInRequestScope<A extends unknown[], R>(scope: RequestScope, fn: (...args: A) => R, ...args: A): R {
  return enabled ? storage.run(scope, fn, ...args) : fn(...args);
}

/**
 * The abort signal of the request being handled (aborted at the route's `timeout` / the server's
 * `handler_timeout`, or when the client goes away), or `undefined` outside a request.
 */
export function currentRequestSignal(): AbortSignal | undefined {
  return storage.getStore()?.signal;
}

/** The scope of the request being handled (the request's `Context`), or `undefined` outside a request. */
export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}

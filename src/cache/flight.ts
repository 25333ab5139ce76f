import type { CachedResponse } from './store';

/**
 * In-process single flight: the first miss of a key runs the handler; concurrent misses of the same
 * key wait for its response instead of calling upstream too (a stampede of N becomes 1 call).
 */
export class SingleFlight {
  private readonly flights = new Map<string, Promise<CachedResponse | undefined>>();
  private readonly resolvers = new Map<string, (value: CachedResponse | undefined) => void>();

  /** The flight to wait for, or `undefined` when the caller leads (and must call `land`). */
  join(key: string): Promise<CachedResponse | undefined> | undefined {
    const flight = this.flights.get(key);
    if (flight !== undefined) return flight;
    this.flights.set(key, new Promise((resolve) => this.resolvers.set(key, resolve)));
    return undefined;
  }

  /** Ends the leader's flight: waiters get the response (or `undefined`: not cacheable, run your own). */
  land(key: string, value: CachedResponse | undefined): void {
    const resolve = this.resolvers.get(key);
    if (resolve === undefined) return;
    this.resolvers.delete(key);
    this.flights.delete(key);
    resolve(value);
  }
}

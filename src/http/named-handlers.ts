import type { HandlerEntry } from '../container/registry';

/** A registered handler that is a plain function (not a controller method), by name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function functionHandler(handlers: ReadonlyMap<string, HandlerEntry> | undefined, name: string): ((...args: any[]) => unknown) | undefined {
  const entry = handlers?.get(name);
  return entry?.kind === 'function' ? entry.fn : undefined;
}

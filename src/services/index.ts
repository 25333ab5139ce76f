import type { Registry } from '../container/registry';

/** Registers the built-in service factories (`lokstra.*` types) on a registry. */
export function registerBuiltinServices(registry: Registry): void {
  void registry;
}

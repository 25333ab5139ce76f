import type { DefinedModule } from './types';

/** Brand of objects made by `defineModule`. */
export const DEFINED_MODULE = Symbol.for('lokstra:defined-module');

/** True for an object made by `defineModule`. */
export function isDefinedModule(value: unknown): value is DefinedModule {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[DEFINED_MODULE] === true;
}

import type { SourceOptions } from '../../metadata/types';
import type { Class } from '../../internal/types';
import type { ScalarKind, TargetType } from './convert';

function scalarOf(t: unknown): ScalarKind | undefined {
  switch (t) {
    case String: case 'string': return 'string';
    case Number: case 'number': return 'number';
    case Boolean: case 'boolean': return 'boolean';
    case Date: case 'date': return 'date';
    default: return undefined;
  }
}

/**
 * Resolves a conversion target from the decorator's `type` option, `design:type`, and the kind
 * implied by class-validator rules (`@IsInt` → integer; also fills in when `design:type` is missing,
 * as under transpile-only compilers).
 */
export function resolveTarget(designType: unknown, options: SourceOptions = {}, hint?: ScalarKind): TargetType {
  const explicit = options.type;
  const int = (k: ScalarKind): ScalarKind => (hint === 'integer' && k === 'number' ? 'integer' : k);
  if (designType === Array) {
    const element = scalarOf(explicit) ?? hint ?? 'any';
    return { kind: 'any', array: true, element: int(element), nested: undefined };
  }
  const scalar = scalarOf(explicit) ?? scalarOf(designType) ?? (designType === Object || designType === undefined ? hint : undefined);
  if (scalar !== undefined) return { kind: int(scalar), array: false, element: 'any', nested: undefined };
  const cls = typeof explicit === 'function' ? explicit : designType;
  if (typeof cls === 'function' && cls !== Object) {
    return { kind: 'object', array: false, element: 'any', nested: cls as Class };
  }
  return { kind: 'any', array: false, element: 'any', nested: undefined };
}

import { LokstraError } from '../errors/lokstra-error';
import { tokenName } from '../internal/types';

/**
 * Orders nodes so that every node comes after its dependencies. A cycle is a boot error listing it.
 * Unknown dependencies are ignored here (the caller reports them with better context).
 */
export function topoSort<K>(nodes: K[], depsOf: (node: K) => K[], hint = ''): K[] {
  const order: K[] = [];
  const state = new Map<K, 'visiting' | 'done'>();
  const known = new Set(nodes);
  const visit = (node: K, path: K[]): void => {
    const s = state.get(node);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...path.slice(path.indexOf(node)), node].map(tokenName).join(' -> ') + hint;
      throw new LokstraError('LKS_ERR_DI_CYCLE', { cycle });
    }
    state.set(node, 'visiting');
    for (const dep of depsOf(node)) if (known.has(dep)) visit(dep, [...path, node]);
    state.set(node, 'done');
    order.push(node);
  };
  for (const node of nodes) visit(node, []);
  return order;
}

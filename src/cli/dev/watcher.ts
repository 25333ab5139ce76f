import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';

/** Watches the sources (recursively, `.ts`) and the project folder (YAML, `.env`) and reports changed paths in debounced batches. */
export function watchProject(dirs: { root: string; sources: string }, debounceMs: number, onBatch: (files: string[], firstAt: number) => void): { close(): void } {
  let pending = new Set<string>();
  let firstAt = 0;
  let timer: NodeJS.Timeout | undefined;
  const add = (file: string): void => {
    if (pending.size === 0) firstAt = performance.now();
    pending.add(file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...pending];
      pending = new Set();
      onBatch(files, firstAt);
    }, debounceMs);
  };
  const watchers: FSWatcher[] = [
    watch(dirs.sources, { recursive: true }, (_event, name) => {
      if (name && name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.includes('node_modules')) add(join(dirs.sources, name));
    }),
  ];
  if (dirs.sources !== dirs.root) {
    watchers.push(watch(dirs.root, (_event, name) => {
      if (name && /\.(ya?ml|env)$|^\.env/.test(name)) add(join(dirs.root, name));
    }));
  }
  return {
    close: () => {
      clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}

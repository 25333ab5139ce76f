import { dirname, join, relative, sep } from 'node:path';

/** The folder compiled with an entry: its top folder under the project (`src/` for `src/main.ts`), or the project. */
export function sourceRoot(root: string, entry: string): string {
  const rel = relative(root, dirname(entry));
  if (rel === '' || rel.startsWith('..')) return root;
  return join(root, rel.split(sep)[0] as string);
}

import { realpathSync, statSync, type Stats } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** A file found inside a root, named by its real path (every symlink resolved). */
export interface RealFile {
  /** The root's real path. */
  root: string;
  /** The file's path relative to `root`, with `/` separators and no symlink left in it. */
  file: string;
  stat: Stats;
}

function real(path: string): string | undefined {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined; // missing, dangling link, loop (ELOOP), no permission
  }
}

/** True when `full` is `root` itself or below it (both real paths). */
export function within(root: string, full: string): boolean {
  return full === root || full.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Resolves `rel` (already normalised, no `..`) below `root` with every symlink followed, and returns
 * it only when its real path is still inside the root's real path and names no dot-file or
 * dot-folder: a link to `/etc`, to a file outside the root, or to a hidden file inside it is
 * never served, whether it is the last segment or any folder on the way.
 */
export function realInside(root: string, rel: string): RealFile | undefined {
  const realRoot = real(root);
  if (realRoot === undefined) return undefined;
  const target = real(join(root, rel));
  if (target === undefined || !within(realRoot, target)) return undefined;
  const file = relative(realRoot, target).split(sep).join('/');
  if (file.split('/').some((p) => p.startsWith('.'))) return undefined;
  let stat: Stats;
  try {
    stat = statSync(target);
  } catch {
    return undefined;
  }
  return { root: realRoot, file: `/${file}`, stat };
}

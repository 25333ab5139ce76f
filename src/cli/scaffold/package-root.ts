import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The installed lokstra package (or this repository): the folder with its package.json and templates/. */
export function lokstraPackageRoot(from = __dirname): { root: string; version: string } {
  let dir = from;
  for (;;) {
    const pkgFile = join(dir, 'package.json');
    if (existsSync(pkgFile) && existsSync(join(dir, 'templates'))) {
      const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'lokstra') return { root: dir, version: pkg.version ?? '0.0.0' };
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`lokstra's templates/ folder was not found above ${from}`);
    dir = up;
  }
}

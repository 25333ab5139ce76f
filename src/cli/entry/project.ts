import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { CliUsageError } from '../io';

/** A user's project as the CLI sees it. */
export interface Project {
  /** The folder holding package.json. */
  root: string;
  /** `module` when package.json has `"type": "module"`. */
  moduleType: 'module' | 'commonjs';
  /** package.json, parsed. */
  pkg: { name?: string; type?: string; lokstra?: { entry?: string } } & Record<string, unknown>;
}

/** The nearest folder at or above `cwd` with a package.json; none is a usage error. */
export function findProject(cwd: string): Project {
  let dir = resolve(cwd);
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as Project['pkg'];
      return { root: dir, moduleType: pkg.type === 'module' ? 'module' : 'commonjs', pkg };
    }
    const up = dirname(dir);
    if (up === dir) throw new CliUsageError(`no project found: no package.json in ${resolve(cwd)} or above (create one with: lokstra new <dir>)`);
    dir = up;
  }
}

/** The entry file: the argument, package.json `lokstra.entry`, or `src/main.ts`; a missing file is a usage error. */
export function resolveEntry(project: Project, cwd: string, given: string | undefined): string {
  const candidate = given ?? project.pkg.lokstra?.entry ?? 'src/main.ts';
  const file = isAbsolute(candidate) ? candidate : resolve(given === undefined ? project.root : cwd, candidate);
  if (!existsSync(file)) {
    const shown = relative(cwd, file) || file;
    throw new CliUsageError(`entry ${shown} not found (give one: lokstra <command> <entry>, or set "lokstra": { "entry": … } in package.json)`);
  }
  return file;
}

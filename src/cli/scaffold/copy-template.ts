import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const TEXT = /\.(ts|md|ya?ml|json|html|cjs|js|css)$|^_gitignore$/;

/** Copies a template folder into `target`, replacing `__KEY__` placeholders; returns the relative paths written. */
export function copyTemplate(from: string, target: string, vars: Record<string, string>, rel = ''): string[] {
  const written: string[] = [];
  for (const e of readdirSync(join(from, rel), { withFileTypes: true })) {
    const src = join(from, rel, e.name);
    const relOut = join(rel, e.name === '_gitignore' ? '.gitignore' : e.name);
    if (e.isDirectory()) {
      written.push(...copyTemplate(from, target, vars, join(rel, e.name)));
      continue;
    }
    const out = join(target, relOut);
    mkdirSync(dirname(out), { recursive: true });
    if (TEXT.test(e.name)) {
      const text = readFileSync(src, 'utf8').replace(/__([A-Z_]+)__/g, (m, key: string) => vars[key] ?? m);
      writeFileSync(out, text);
    } else {
      writeFileSync(out, readFileSync(src));
    }
    written.push(relOut);
  }
  return written;
}

/** True when `dir` does not exist or is empty. */
export function isEmptyDir(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

import { extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LokstraHandle } from '../../lokstra';
import { captureBuilds } from './capture';
import { compileInto, createCompiler, listSources, outputPath } from './compile';
import type { Project } from './project';
import { sourceRoot } from './source-root';

/** Thrown when the entry's sources do not compile: one line per failed file. */
export class EntryCompileError extends Error {
  override readonly name = 'EntryCompileError';
}

// A `.ts` entry is required directly when a TypeScript hook is already registered (ts-node), else
// compiled (SWC or TypeScript's transpiler) into .lokstra/cli/ and loaded from there.
function runnableEntry(entry: string, project: Project): string {
  const req = require as unknown as { extensions: Record<string, unknown> };
  if (extname(entry) !== '.ts' || req.extensions['.ts'] !== undefined) return entry;
  const compiler = createCompiler({ root: project.root, moduleType: project.moduleType });
  const outDir = join(project.root, '.lokstra', 'cli');
  const errors = compileInto(compiler, listSources(sourceRoot(project.root, entry)), { root: project.root, outDir });
  if (errors.length > 0) throw new EntryCompileError(`the entry does not compile:\n${errors.map((e) => e.message).join('\n')}`);
  return outputPath(project.root, outDir, entry);
}

function importEntry(file: string, project: Project): Promise<unknown> {
  const esm = file.endsWith('.mjs') || (project.moduleType === 'module' && !file.endsWith('.cjs') && !file.endsWith('.ts'));
  // Kept as import() in the CommonJS build (module node16), so ESM entries load as ESM.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS entry loads through require (and its hooks)
  return esm ? import(pathToFileURL(file).href) : Promise.resolve().then(() => require(file) as unknown);
}

/**
 * Loads the user's entry with `Lokstra.run` turned into a build (no listener, no signal handling) and
 * returns the first deployment it builds: its compiled route table, container and config.
 */
export async function loadEntry(entry: string, project: Project): Promise<LokstraHandle> {
  const capture = captureBuilds();
  try {
    const loaded = importEntry(runnableEntry(entry, project), project);
    const afterLoad = loaded.then(async () => {
      await new Promise((r) => setImmediate(r));
      if (!capture.started) throw new Error(`${entry} did not call Lokstra.run or Lokstra.build`);
      return new Promise<never>(() => undefined);
    });
    return await Promise.race([capture.first, afterLoad]);
  } finally {
    capture.restore();
  }
}

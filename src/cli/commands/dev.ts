import { join, relative } from 'node:path';
import { AppProcess, type BootResult } from '../dev/app-process';
import { watchProject } from '../dev/watcher';
import { compileInto, createCompiler, listSources, outputPath } from '../entry/compile';
import { findProject, resolveEntry } from '../entry/project';
import { sourceRoot } from '../entry/source-root';
import { CliUsageError, flag, parseArgs, type CliCommand, type CliContext } from '../io';

const USAGE = 'usage: lokstra dev [entry] [--debounce <ms>]';

/**
 * `lokstra dev`: compiles the sources (SWC with decorator metadata, or TypeScript's transpiler) into
 * .lokstra/dev, runs the entry, and on `.ts`/YAML changes recompiles what changed, stops the app
 * gracefully and starts it again — printing "reloaded in N ms". Compile errors are printed and the
 * previous build keeps serving until they are fixed.
 */
export const devCommand: CliCommand = {
  async run(ctx) {
    const args = parseArgs(ctx.args, { valued: ['debounce'], usage: USAGE });
    if (args.positional.length > 1) throw new CliUsageError(USAGE);
    const debounce = Number(flag(args, 'debounce', '80'));
    if (!Number.isFinite(debounce) || debounce < 0) throw new CliUsageError(`--debounce must be a number of milliseconds; ${USAGE}`);
    const project = findProject(ctx.cwd);
    const entry = resolveEntry(project, ctx.cwd, args.positional[0]);
    const session = new DevSession(ctx, { root: project.root, entry, moduleType: project.moduleType });
    return session.run(debounce);
  },
};

class DevSession {
  private readonly compiler;
  private readonly outDir: string;
  private readonly sources: string;
  private readonly app: AppProcess;
  private broken = new Set<string>();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: CliContext, private readonly p: { root: string; entry: string; moduleType: 'module' | 'commonjs' }) {
    this.compiler = createCompiler({ root: p.root, moduleType: p.moduleType });
    this.outDir = join(p.root, '.lokstra', 'dev');
    this.sources = sourceRoot(p.root, p.entry);
    this.app = new AppProcess({ cwd: p.root, env: { ...ctx.env, LOKSTRA_DEV: '1' }, stopTimeoutMs: 10_000, esm: p.moduleType === 'module' });
  }

  async run(debounce: number): Promise<number> {
    const t0 = performance.now();
    const files = listSources(this.sources);
    this.ctx.out(`lokstra dev: ${relative(this.p.root, this.p.entry)} — ${files.length} file(s) compiled by ${this.compiler.name}; watching ${relative(this.p.root, this.sources) || '.'}/ and the YAML`);
    if (this.compile(files)) await this.boot(t0, 'started');
    const watcher = watchProject({ root: this.p.root, sources: this.sources }, debounce, (changed, at) => {
      this.queue = this.queue.then(() => this.reload(changed, at));
    });
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    watcher.close();
    await this.queue;
    await this.app.close();
    return 0;
  }

  /** Compiles `files` plus those that failed last time; true when everything compiles. */
  private compile(files: string[]): boolean {
    const targets = [...new Set([...files.filter((f) => f.endsWith('.ts')), ...this.broken])];
    const errors = compileInto(this.compiler, targets, { root: this.p.root, outDir: this.outDir });
    this.broken = new Set(errors.map((e) => e.file));
    for (const e of errors) {
      // SWC's code frame names the position as `[file:line:col]`; the first line says where, the rest shows it.
      const at = /\[[^\]\n]*?:(\d+):(\d+)\]/.exec(e.message);
      this.ctx.err(`compile error: ${relative(this.p.root, e.file)}${at ? `:${at[1]}:${at[2]}` : ''}`);
      for (const line of e.message.split('\n')) this.ctx.err(`  ${line}`);
    }
    if (errors.length > 0) this.ctx.err(`${errors.length} file(s) do not compile; ${this.app.running ? 'the previous build keeps serving' : 'waiting'} until they are fixed`);
    return errors.length === 0;
  }

  private async reload(changed: string[], at: number): Promise<void> {
    this.ctx.out(`changed: ${changed.map((f) => relative(this.p.root, f)).join(', ')}`);
    const t0 = performance.now();
    if (!this.compile(changed)) return;
    const t1 = performance.now();
    await this.app.stop();
    const t2 = performance.now();
    await this.boot(at, 'reloaded', `compile ${Math.round(t1 - t0)} ms, stop ${Math.round(t2 - t1)} ms, boot `);
  }

  private async boot(since: number, verb: string, parts = ''): Promise<void> {
    const t = performance.now();
    const result: BootResult = await this.app.start(outputPath(this.p.root, this.outDir, this.p.entry));
    const ms = Math.round(performance.now() - since);
    const detail = parts === '' ? '' : `; ${parts}${Math.round(performance.now() - t)} ms`;
    this.app.prepare();
    if (result.kind === 'ready') this.ctx.out(`${verb} in ${ms} ms (${result.urls.join(', ')}${detail})`);
    else if (result.kind === 'failed') this.ctx.err(`boot failed: ${result.message}; waiting for changes`);
    else this.ctx.err(`the app exited (code ${String(result.code)}); waiting for changes`);
  }
}

import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** How one run of the app ended its boot. */
export type BootResult = { kind: 'ready'; urls: string[] } | { kind: 'failed'; message: string } | { kind: 'exited'; code: number | null };

/** Options of {@link AppProcess}. */
export interface AppProcessOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stopTimeoutMs: number;
  /** Load the entry with import() (an ESM project). */
  esm: boolean;
}

/**
 * The app under `lokstra dev`: a Node process that runs the compiled entry and reports readiness over
 * IPC. The next process is started (and warmed) while the current one serves.
 */
export class AppProcess {
  private child: ChildProcess | undefined;
  private standby: ChildProcess | undefined;

  constructor(private readonly options: AppProcessOptions) {}

  get running(): boolean {
    return this.child !== undefined;
  }

  private spawnStandby(): ChildProcess {
    // From the TypeScript sources (this repository's tests) the child needs ts-node too.
    const fromSource = __filename.endsWith('.ts');
    const script = join(__dirname, `child-preload${fromSource ? '.ts' : '.js'}`);
    const execArgv = ['--enable-source-maps', ...(fromSource ? ['-r', 'ts-node/register/transpile-only'] : [])];
    const child = fork(script, [], { cwd: this.options.cwd, env: this.options.env, execArgv, stdio: 'inherit' });
    child.on('error', () => undefined);
    return child;
  }

  /** Starts a warm standby now, so the next start only loads the user's modules. */
  prepare(): void {
    this.standby ??= this.spawnStandby();
  }

  /** Runs the compiled entry; resolves when it listens, fails to boot, or exits. */
  start(file: string): Promise<BootResult> {
    const child = this.standby ?? this.spawnStandby();
    this.standby = undefined;
    this.child = child;
    const result = new Promise<BootResult>((resolve) => {
      child.on('message', (m: { type?: string; urls?: string[]; message?: string }) => {
        if (m.type === 'lokstra:ready') resolve({ kind: 'ready', urls: m.urls ?? [] });
        if (m.type === 'lokstra:failed') resolve({ kind: 'failed', message: m.message ?? 'boot failed' });
      });
      child.on('exit', (code) => {
        if (this.child === child) this.child = undefined;
        resolve({ kind: 'exited', code });
      });
    });
    child.send({ type: 'lokstra:load', file, esm: this.options.esm });
    return result;
  }

  /** SIGTERM (Lokstra drains and closes), SIGKILL after the timeout; resolves once the process is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined) return;
    await stopProcess(child, this.options.stopTimeoutMs);
  }

  /** Stops the app and the standby. */
  async close(): Promise<void> {
    const standby = this.standby;
    this.standby = undefined;
    await Promise.all([this.stop(), standby && stopProcess(standby, 1000)]);
  }
}

async function stopProcess(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await gone;
  clearTimeout(timer);
}

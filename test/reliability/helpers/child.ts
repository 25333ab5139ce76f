import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const CHILD_APP = join(ROOT, 'test', 'reliability', 'fixtures', 'child-app.ts');
const NO_LISTEN = join(ROOT, 'test', 'reliability', 'fixtures', 'no-listen.cjs');

/** What a child app announced once listening. */
export interface ReadyInfo {
  pid: number;
  apps: { name: string; url: string }[];
}

/** A child process running `fixtures/child-app.ts` (or another script). */
export interface ChildApp {
  readonly proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves on `READY`, rejects if the process exits first. */
  readonly ready: Promise<ReadyInfo>;
  /** Resolves when the process exits, with the time since spawn. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** Kills it (SIGKILL) if still running. */
  kill(): void;
}

/** Options of {@link spawnChild}. */
export interface SpawnOptions {
  env?: Record<string, string | undefined>;
  /** Preload `fixtures/no-listen.cjs`, which writes `LISTEN-ATTEMPT` to stderr on every bind. */
  reportListen?: boolean;
  /** Script to run instead of the child app (a path relative to the repo root). */
  script?: string;
}

const running = new Set<ChildProcess>();

/** Spawns the child app with `node -r ts-node/register/transpile-only`. */
export function spawnChild(args: string[], options: SpawnOptions = {}): ChildApp {
  const started = Date.now();
  const script = options.script === undefined ? CHILD_APP : join(ROOT, options.script);
  const proc = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', ...(options.reportListen ? ['-r', NO_LISTEN] : []), script, ...args], {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', LOKSTRA_ENV: undefined, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(proc);
  let out = '';
  let err = '';
  proc.stdout?.setEncoding('utf8').on('data', (c: string) => { out += c; });
  proc.stderr?.setEncoding('utf8').on('data', (c: string) => { err += c; });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => {
    proc.on('exit', (code, signal) => { running.delete(proc); resolve({ code, signal, at: Date.now() - started }); });
  });
  const ready = new Promise<ReadyInfo>((resolve, reject) => {
    const onData = (): void => {
      const line = /^READY (.*)$/m.exec(out)?.[1];
      if (line !== undefined) {
        proc.stdout?.off('data', onData);
        resolve(JSON.parse(line) as ReadyInfo);
      }
    };
    proc.stdout?.on('data', onData);
    void exited.then(({ code }) => reject(new Error(`child exited (${code}) before READY: ${err.slice(0, 2000)}`)));
  });
  ready.catch(() => undefined);
  return {
    proc, ready, exited,
    stdout: () => out,
    stderr: () => err,
    kill: () => { if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL'); },
  };
}

/** Kills every child this file started that is still running (by its own handle, never by name). */
export function killChildren(): void {
  for (const proc of running) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
}

/** Resident set size of a process in bytes (Linux /proc). */
export async function rssOf(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? NaN);
  return kb * 1024;
}

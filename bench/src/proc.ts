// Process helpers: spawning servers, waiting for their first 200, CPU and RSS from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { execFileSync } from 'node:child_process';

export const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime and stime of a process (all its threads), in microseconds. */
export function cpuTimes(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  return { user: (Number(fields[11]) * 1e6) / CLK_TCK, system: (Number(fields[12]) * 1e6) / CLK_TCK };
}

/** utime + stime of a process (all its threads), in microseconds. */
export function cpuMicros(pid: number): number {
  const t = cpuTimes(pid);
  return t.user + t.system;
}

/** Busy CPU time of the whole machine (all cores: user, nice, system, irq, softirq, steal), in microseconds. */
export function machineBusyMicros(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] as string;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0);
  return (busy * 1e6) / CLK_TCK;
}

/** Resident set size in MiB. */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * Raises the scheduling priority of a process started with `detached: true` (its own session, hence
 * its own scheduler autogroup) to nice -10, for the process and its autogroup, when allowed (root):
 * the machine is shared, and other work should yield to what is measured. With autogroups on, a
 * plain `nice` only ranks processes within one session, hence the autogroup. Does nothing otherwise.
 */
export function prioritize(pid: number | undefined): void {
  if (pid === undefined || process.env.BENCH_NO_RENICE === '1') return;
  try {
    os.setPriority(pid, -10);
  } catch {
    // not permitted: run at normal priority
  }
  try {
    writeFileSync(`/proc/${pid}/autogroup`, '-10');
  } catch {
    // no autogroups, or not permitted
  }
}

const children = new Set<ChildProcess>();
let cleanupInstalled = false;
/** Detached children do not die with us: kill whatever is left when the runner exits. */
export function track(child: ChildProcess): void {
  if (!cleanupInstalled) {
    cleanupInstalled = true;
    process.once('exit', () => { for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL'); });
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));
  }
  children.add(child);
  child.once('exit', () => children.delete(child));
}

/** CPU used by the whole machine over `ms`, in cores. */
export async function machineCores(ms: number): Promise<number> {
  const b0 = machineBusyMicros();
  const t0 = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, ms));
  return (machineBusyMicros() - b0) / (Number(process.hrtime.bigint() - t0) / 1e3);
}

/**
 * Waits (up to `maxMs`) until the machine is quiet: less than `threshold` cores busy over a 500 ms
 * window while the server idles. Returns the last reading.
 */
export async function waitForQuiet(threshold: number, maxMs: number): Promise<number> {
  const start = Date.now();
  let busy = await machineCores(500);
  while (busy > threshold && Date.now() - start < maxMs) busy = await machineCores(500);
  return busy;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface HttpAnswer {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

export function request(port: number, method: string, path: string, body?: string, timeoutMs = 5000, extraHeaders: Record<string, string> = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port, method, path, agent: false, timeout: timeoutMs,
      headers: { ...extraHeaders, ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }) },
    }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { data += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data, headers: res.headers }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout on ${method} ${path}`)));
    req.on('error', reject);
    req.end(body);
  });
}

export interface Running {
  proc: ChildProcess;
  pid: number;
  port: number;
  /** Spawn to first 200 on GET /hello, in ms. */
  startupMs: number;
  stderr: () => string;
}

export interface SpawnSpec {
  script: string;
  args: string[];
  nodeArgs?: string[];
  env?: Record<string, string>;
}

/** Starts a server and polls GET /hello until it answers 200. */
export async function startServer(spec: SpawnSpec, timeoutMs = 30_000): Promise<Running> {
  const port = await freePort();
  let err = '';
  const t0 = process.hrtime.bigint();
  const proc = spawn(process.execPath, [...(spec.nodeArgs ?? []), spec.script, ...spec.args], {
    env: { ...process.env, ...spec.env, PORT: String(port), NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  track(proc);
  prioritize(proc.pid);
  proc.stderr?.setEncoding('utf8');
  proc.stderr?.on('data', (c: string) => { err += c; });
  let exited = false;
  proc.once('exit', () => { exited = true; });
  for (;;) {
    if (exited) throw new Error(`${spec.script} ${spec.args.join(' ')} exited before answering:\n${err}`);
    try {
      const res = await request(port, 'GET', '/hello', undefined, 2000);
      if (res.status === 200) {
        const startupMs = Number(process.hrtime.bigint() - t0) / 1e6;
        return { proc, pid: proc.pid as number, port, startupMs, stderr: () => err };
      }
    } catch {
      // not listening yet
    }
    if (Number(process.hrtime.bigint() - t0) / 1e6 > timeoutMs) {
      proc.kill('SIGKILL');
      throw new Error(`${spec.script} did not answer 200 on /hello within ${timeoutMs} ms:\n${err}`);
    }
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** SIGTERM, then SIGKILL after `graceMs`. Resolves when the process has exited. */
export function stopServer(r: Running, graceMs = 3000): Promise<void> {
  return new Promise((resolve) => {
    if (r.proc.exitCode !== null || r.proc.signalCode !== null) return resolve();
    const timer = setTimeout(() => r.proc.kill('SIGKILL'), graceMs);
    r.proc.once('exit', () => { clearTimeout(timer); resolve(); });
    r.proc.kill('SIGTERM');
  });
}

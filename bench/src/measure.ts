// One measured sample: autocannon in its own process, server CPU from /proc around the measured window.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { LoadOptions, LoadResult } from './load';
import { cpuMicros, cpuTimes, machineBusyMicros, prioritize, track, waitForQuiet, type Running } from './proc';
import type { BenchRoute } from './shared/routes';

export interface MeasureOptions {
  connections: number;
  warmup: number;
  duration: number;
  /** Before the warm-up, wait up to this many ms for the machine to be quiet (< 0.3 cores busy). */
  quietWaitMs?: number;
  /** Called when the measured window starts (after the warm-up). */
  onMeasureStart?: () => void;
}

export interface Sample extends LoadResult {
  cpuUsPerReq: number;
  /** The user-space part (JavaScript, GC, V8) of `cpuUsPerReq`; the rest is kernel time (mostly socket I/O). */
  userUsPerReq: number;
  /** Server CPU during the measured window, in cores (1 = one core busy). */
  serverCores: number;
  /** CPU used by everything else on the machine (other processes, not the server nor autocannon), in cores. */
  backgroundCores: number;
  /** Machine CPU (cores) just before the sample, with the server idle (NaN when not waited for quiet). */
  idleCoresBefore: number;
}

export async function measure(r: Running, route: BenchRoute, o: MeasureOptions): Promise<Sample> {
  const idle = o.quietWaitMs === undefined || o.quietWaitMs <= 0 ? NaN : await waitForQuiet(0.3, o.quietWaitMs);
  const sample = await measureNow(r, route, o);
  return { ...sample, idleCoresBefore: idle };
}

function measureNow(r: Running, route: BenchRoute, o: MeasureOptions): Promise<Sample> {
  const opts: LoadOptions = {
    url: `http://127.0.0.1:${r.port}${route.path}`, method: route.method, body: route.body,
    connections: o.connections, warmupSeconds: o.warmup, durationSeconds: o.duration,
  };
  return new Promise((resolvePromise, reject) => {
    const child = fork(join(__dirname, 'load.js'), [JSON.stringify(opts)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], detached: true });
    track(child);
    prioritize(child.pid);
    let cpu0 = 0;
    let user0 = 0;
    let load0 = 0;
    let machine0 = 0;
    let t0 = 0n;
    let done = false;
    child.on('message', (m: { type: string; result?: LoadResult }) => {
      if (m.type === 'ready') {
        const c0 = cpuTimes(r.pid);
        cpu0 = c0.user + c0.system;
        user0 = c0.user;
        load0 = cpuMicros(child.pid as number);
        machine0 = machineBusyMicros();
        t0 = process.hrtime.bigint();
        o.onMeasureStart?.();
        child.send('go');
      } else if (m.type === 'result' && m.result !== undefined) {
        const c1 = cpuTimes(r.pid);
        const cpu = c1.user + c1.system - cpu0;
        const user = c1.user - user0;
        const loadCpu = cpuMicros(child.pid as number) - load0;
        const machine = machineBusyMicros() - machine0;
        const wallUs = Number(process.hrtime.bigint() - t0) / 1e3;
        done = true;
        const res = m.result;
        if (res.non2xx > 0 || res.errors > 0 || res.requests === 0) {
          reject(new Error(`${route.label}: ${res.non2xx} non-2xx, ${res.errors} errors, ${res.requests} requests\n${r.stderr()}`));
          return;
        }
        resolvePromise({ ...res, cpuUsPerReq: cpu / res.requests, userUsPerReq: user / res.requests, serverCores: cpu / wallUs, backgroundCores: Math.max(0, machine - cpu - loadCpu) / wallUs, idleCoresBefore: NaN });
      }
    });
    child.on('exit', (code) => { if (!done) reject(new Error(`load generator exited with ${code}`)); });
  });
}


// The load generator, run as its own process by run.ts: a warm-up, then (after the parent has read
// the server's CPU counters) the measured run. Talks to the parent over IPC.
import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  method: 'GET' | 'POST';
  body?: string;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

export interface LoadResult {
  requests: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationMs: number;
}

function once(opts: LoadOptions, duration: number): Promise<autocannon.Result> {
  return autocannon({
    url: opts.url,
    method: opts.method,
    connections: opts.connections,
    duration,
    pipelining: 1,
    ...(opts.body === undefined ? {} : { body: opts.body, headers: { 'content-type': 'application/json' } }),
  });
}

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
  if (opts.warmupSeconds > 0) await once(opts, opts.warmupSeconds);
  const go = new Promise<void>((resolve) => process.once('message', () => resolve()));
  process.send?.({ type: 'ready' });
  await go;
  const r = await once(opts, opts.durationSeconds);
  const result: LoadResult = {
    requests: r.requests.total,
    reqPerSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    durationMs: r.duration * 1000,
  };
  process.send?.({ type: 'result', result }, () => process.exit(0));
}

void main();

// CPU profiles of one server under load, one route per process:
//   node dist/profile.js --servers=lokstra,fastify --routes=hello,user,create [--duration=10] [--top=25]
//   node dist/profile.js --extra=patched=/tmp/x/bench/dist/servers/lokstra.js ...
// Writes profiles/<server>-<route>.cpuprofile (open in Chrome DevTools) and prints the top frames of
// the measured window only (boot and warm-up are cut off).
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { measure } from './measure';
import { startServer, stopServer, type SpawnSpec } from './proc';
import { ROUTES } from './shared/routes';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const BENCH = resolve(__dirname, '..');
const script = (name: string): string => join(__dirname, 'servers', `${name}.js`);
const SERVERS: Record<string, SpawnSpec> = {
  node: { script: script('node-http'), args: [] },
  fastify: { script: script('fastify'), args: [] },
  nest: { script: script('nest'), args: [] },
  lokstra: { script: script('lokstra'), args: [] },
  'lokstra-mw': { script: script('lokstra'), args: ['--middleware'] },
};

/** `…/node_modules/fastify/lib/route.js` → `fastify/lib/route.js`; node internals keep their `node:` name. */
export function shortUrl(url: string): string {
  if (url === '') return '';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const d = url.indexOf('/dist/');
  if (d >= 0) return `bench${url.slice(d + 5)}`;
  return url.replace(/^file:\/\//, '');
}

function packageOf(url: string): string {
  if (url === '') return '(native/VM)';
  if (url.startsWith('node:')) return 'node (core)';
  const short = shortUrl(url);
  if (short === url.replace(/^file:\/\//, '')) return url.includes('/bench/dist/') ? 'bench app code' : 'other';
  if (short.startsWith('bench/')) return 'bench app code';
  const parts = short.split('/');
  return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] as string);
}

export interface Summary {
  totalMs: number;
  self: [string, number][];
  inclusive: [string, number][];
  packages: [string, number][];
}

/** Self and inclusive time per function over samples taken after `skipMs` from the profile start. */
export function summarize(p: CpuProfile, skipMs: number): Summary {
  const byId = new Map<number, CpuProfileNode>();
  const parent = new Map<number, number>();
  for (const n of p.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const key = (n: CpuProfileNode): string => {
    const f = n.callFrame;
    const name = f.functionName || '(anonymous)';
    return f.url === '' ? name : `${name} ${shortUrl(f.url)}:${f.lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  const pkgs = new Map<string, number>();
  let t = 0;
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i] ?? 0;
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
    if (t / 1000 < skipMs) continue;
    const node = byId.get(p.samples[i] as number);
    if (node === undefined || node.callFrame.functionName === '(idle)') continue;
    total += dt;
    const k = key(node);
    self.set(k, (self.get(k) ?? 0) + dt);
    const pkg = ['(garbage collector)', '(program)'].includes(node.callFrame.functionName) ? node.callFrame.functionName : packageOf(node.callFrame.url);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + dt);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const n = byId.get(id) as CpuProfileNode;
      if (n.callFrame.functionName === '(root)') break;
      const kk = key(n);
      if (seen.has(kk)) continue;
      seen.add(kk);
      incl.set(kk, (incl.get(kk) ?? 0) + dt);
    }
  }
  const sorted = (m: Map<string, number>): [string, number][] => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return { totalMs: total, self: sorted(self), inclusive: sorted(incl), packages: sorted(pkgs) };
}

function printSummary(title: string, s: Summary, top: number, requests: number): void {
  const pct = (ms: number): string => `${((100 * ms) / s.totalMs).toFixed(1).padStart(5)}% ${((ms * 1000) / requests).toFixed(2).padStart(6)} µs/req`;
  console.log(`\n#### ${title} — ${s.totalMs.toFixed(0)} ms of CPU samples\n`);
  console.log('By package (self time):');
  for (const [k, v] of s.packages.slice(0, 14)) console.log(`  ${pct(v)}  ${k}`);
  console.log(`\nTop ${top} frames by self time:`);
  for (const [k, v] of s.self.slice(0, top)) console.log(`  ${pct(v)}  ${k}`);
  console.log(`\nTop ${top} frames by inclusive time (lokstra, fastify, class-validator/transformer, inversify):`);
  const interesting = s.inclusive.filter(([k]) => /lokstra\/|fastify\/|class-(validator|transformer)|inversify|@nestjs|bench\//.test(k));
  for (const [k, v] of interesting.slice(0, top)) console.log(`  ${pct(v)}  ${k}`);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const get = (name: string): string | undefined => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  for (const extra of argv.filter((a) => a.startsWith('--extra='))) {
    const [id, path] = extra.slice('--extra='.length).split('=') as [string, string];
    const [spec, envs] = path.split('@') as [string, string | undefined];
    const [file, ...args] = spec.split(',');
    const env = Object.fromEntries((envs ?? '').split(';').filter(Boolean).map((kv) => kv.split('=', 2) as [string, string]));
    SERVERS[id] = { script: resolve(file as string), args, env };
  }
  const servers = (get('servers') ?? 'lokstra,fastify').split(',');
  const routes = ROUTES.filter((r) => (get('routes') ?? 'hello,user,create').split(',').includes(r.id));
  const duration = Number(get('duration') ?? 10);
  const warmup = Number(get('warmup') ?? 3);
  const top = Number(get('top') ?? 25);
  const dir = resolve(get('dir') ?? join(BENCH, 'profiles'));
  mkdirSync(dir, { recursive: true });
  for (const route of routes) {
    for (const id of servers) {
      const base = SERVERS[id];
      if (base === undefined) throw new Error(`unknown server ${id}`);
      const name = `${id}-${route.id}.cpuprofile`;
      const file = join(dir, name);
      rmSync(file, { force: true });
      const spec: SpawnSpec = { ...base, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}`] };
      const spawnedAt = process.hrtime.bigint();
      const r = await startServer(spec);
      let measureFrom = 0;
      const sample = await measure(r, route, { connections: 50, warmup, duration, quietWaitMs: 10_000, onMeasureStart: () => { measureFrom = Number(process.hrtime.bigint() - spawnedAt) / 1e6; } });
      await stopServer(r, 10_000);
      for (let i = 0; i < 100 && !existsSync(file); i++) await new Promise((res) => setTimeout(res, 50));
      if (!existsSync(file)) throw new Error(`no profile written at ${file} (the server must exit normally on SIGTERM)`);
      const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
      const s = summarize(profile, measureFrom);
      printSummary(`${id} ${route.label}: ${sample.reqPerSec.toFixed(0)} req/s, ${sample.cpuUsPerReq.toFixed(1)} µs/req (with the profiler on)`, s, top, sample.requests);
    }
  }
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(err.stack ?? err.message);
    process.exit(1);
  });
}

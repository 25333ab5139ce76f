// The benchmark runner: `npm run bench` (full) or `npm run bench -- --quick`. See ../README.md.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { measure, type Sample } from './measure';
import { rssMiB, startServer, stopServer, waitForQuiet, type SpawnSpec } from './proc';
import { ROUTES, type BenchRoute } from './shared/routes';
import { verifyMiddleware, verifyServer } from './verify';

const BENCH = resolve(__dirname, '..');

interface ServerDef {
  id: string;
  label: string;
  spec: SpawnSpec;
  envelope: boolean;
  /** Route count of a scaling variant. */
  scale?: number;
  /** Verification checks this server is known to fail (documented deviations). */
  skip?: string[];
  /** Runs request-id, CORS, helmet and compression middleware (checked by verifyMiddleware). */
  middleware?: boolean;
  /** The server a ratio column compares this one with, besides Fastify and NestJS. */
  peer?: string;
}

const script = (name: string): string => join(__dirname, 'servers', `${name}.js`);

const SERVERS: ServerDef[] = [
  { id: 'node', label: 'node:http', spec: { script: script('node-http'), args: [] }, envelope: false },
  { id: 'fastify', label: 'Fastify', spec: { script: script('fastify'), args: [] }, envelope: false },
  // ValidationPipe({ transform: true }) turns `verbose=maybe` into `false` before ParseBoolPipe sees it.
  { id: 'nest', label: 'NestJS', spec: { script: script('nest'), args: [] }, envelope: false, skip: ['user verbose not a boolean'] },
  { id: 'lokstra', label: 'Lokstra', spec: { script: script('lokstra'), args: [] }, envelope: true },
  { id: 'lokstra-mw', label: 'Lokstra + mw', spec: { script: script('lokstra'), args: ['--middleware'] }, envelope: true, middleware: true },
  { id: 'fastify-plugins', label: 'Fastify + plugins', spec: { script: script('fastify-plugins'), args: [] }, envelope: false, middleware: true },
  { id: 'lokstra-builtins', label: 'Lokstra + built-ins', spec: { script: script('lokstra'), args: ['--builtins'] }, envelope: true, middleware: true, peer: 'fastify-plugins' },
  { id: 'lokstra-10', label: 'Lokstra 10 routes', spec: { script: script('lokstra'), args: ['--routes=10'] }, envelope: true, scale: 10 },
  { id: 'lokstra-100', label: 'Lokstra 100 routes', spec: { script: script('lokstra'), args: ['--routes=100'] }, envelope: true, scale: 100 },
  { id: 'lokstra-1000', label: 'Lokstra 1,000 routes', spec: { script: script('lokstra'), args: ['--routes=1000'] }, envelope: true, scale: 1000 },
];

interface Options {
  quick: boolean;
  rounds: number;
  warmup: number;
  duration: number;
  connections: number;
  startupRuns: number;
  servers: ServerDef[];
  routes: BenchRoute[];
  verifyOnly: boolean;
  quietWaitMs: number;
  out: string | undefined;
}

function parseArgs(argv: string[]): Options {
  const get = (name: string): string | undefined => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const has = (name: string): boolean => argv.includes(`--${name}`);
  const quick = has('quick');
  const num = (name: string, full: number, short: number): number => {
    const v = get(name);
    const n = v === undefined ? (quick ? short : full) : Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number`);
    return n;
  };
  let servers = [...SERVERS];
  // --extra=id=path/to/server.js[,arg…][@KEY=VALUE;KEY=VALUE]: another (e.g. patched) Lokstra build, for A/B experiments.
  for (const extra of argv.filter((a) => a.startsWith('--extra='))) {
    const [id, path] = extra.slice('--extra='.length).split('=') as [string, string | undefined];
    if (path === undefined) throw new Error('--extra=id=path/to/server.js');
    const [spec, envs] = path.split('@') as [string, string | undefined];
    const [file, ...args] = spec.split(',');
    const env = Object.fromEntries((envs ?? '').split(';').filter(Boolean).map((kv) => kv.split('=', 2) as [string, string]));
    servers.push({ id, label: id, spec: { script: resolve(file as string), args, env }, envelope: true });
  }
  const only = get('servers');
  if (only !== undefined) {
    const ids = only.split(',');
    const unknown = ids.filter((id) => !servers.some((s) => s.id === id));
    if (unknown.length > 0) throw new Error(`unknown server(s) ${unknown.join(', ')}; known: ${servers.map((s) => s.id).join(', ')}`);
    servers = ids.map((id) => servers.find((s) => s.id === id) as ServerDef);
  } else if (has('no-scale')) {
    servers = servers.filter((s) => s.scale === undefined);
  }
  const routeIds = get('routes')?.split(',');
  const routes = routeIds === undefined ? ROUTES : ROUTES.filter((r) => routeIds.includes(r.id));
  if (routes.length === 0) throw new Error(`--routes: pick from ${ROUTES.map((r) => r.id).join(', ')}`);
  const known = ['quick', 'no-scale', 'verify-only', 'rounds', 'warmup', 'duration', 'connections', 'startup-runs', 'servers', 'routes', 'out', 'extra', 'quiet-wait'];
  const bad = argv.filter((a) => !known.includes(a.replace(/^--/, '').split('=')[0] as string));
  if (bad.length > 0) throw new Error(`unknown option(s): ${bad.join(' ')}; known: ${known.map((k) => `--${k}`).join(' ')}`);
  return {
    quick,
    rounds: num('rounds', 3, 1),
    warmup: num('warmup', 3, 1),
    duration: num('duration', 10, 3),
    connections: num('connections', 50, 50),
    startupRuns: num('startup-runs', 5, 3),
    servers,
    routes,
    verifyOnly: has('verify-only'),
    quietWaitMs: num('quiet-wait', 5, 2) * 1000,
    out: get('out') ?? (quick ? undefined : join(BENCH, 'results', `${new Date().toISOString().slice(0, 10)}.md`)),
  };
}

const median = (xs: number[]): number => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

interface Results {
  startup: Map<string, number[]>;
  rss: Map<string, number[]>;
  load: Map<string, Sample[]>; // key `${server}|${route}`
}

const log = (s: string): void => { process.stderr.write(`${s}\n`); };

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const env = environment();
  log(`bench: ${o.servers.map((s) => s.id).join(', ')} × ${o.routes.map((r) => r.id).join(', ')}; ${o.rounds} round(s) of ${o.warmup}s warm-up + ${o.duration}s, ${o.connections} connections; startup median of ${o.startupRuns}`);

  // 1. Correctness first.
  for (const s of o.servers) {
    const r = await startServer(s.spec);
    try {
      await verifyServer(s.label, r.port, s.envelope, s.skip);
      if (s.middleware === true) await verifyMiddleware(s.label, r.port);
    } finally {
      await stopServer(r);
    }
    log(`verified ${s.label}`);
  }
  if (o.verifyOnly) return;

  const res: Results = { startup: new Map(), rss: new Map(), load: new Map() };
  const push = <T>(m: Map<string, T[]>, k: string, v: T): void => { m.set(k, [...(m.get(k) ?? []), v]); };

  // 2. Startup to first 200, interleaved.
  for (let i = 0; i < o.startupRuns; i++) {
    for (const s of o.servers) {
      if (o.quietWaitMs > 0) await waitForQuiet(0.3, Math.min(o.quietWaitMs, 5000));
      const r = await startServer(s.spec);
      push(res.startup, s.id, r.startupMs);
      await stopServer(r);
    }
  }
  log(`startup: ${o.servers.map((s) => `${s.id} ${median(res.startup.get(s.id) ?? []).toFixed(0)} ms`).join(', ')}`);

  // 3. Load, interleaved rounds: A B C D, A B C D…
  for (let round = 1; round <= o.rounds; round++) {
    for (const s of o.servers) {
      const r = await startServer(s.spec);
      try {
        for (const route of o.routes) {
          const sample = await measure(r, route, o);
          push(res.load, `${s.id}|${route.id}`, sample);
          log(`round ${round} ${s.label.padEnd(22)} ${route.label.padEnd(24)} ${sample.reqPerSec.toFixed(0).padStart(6)} req/s  p50 ${sample.p50} ms  p99 ${sample.p99} ms  ${sample.cpuUsPerReq.toFixed(1)} µs/req (user ${sample.userUsPerReq.toFixed(1)})  (server ${sample.serverCores.toFixed(2)} cores, background ${sample.backgroundCores.toFixed(2)}, before ${sample.idleCoresBefore.toFixed(2)})`);
        }
        push(res.rss, s.id, rssMiB(r.pid));
      } finally {
        await stopServer(r);
      }
    }
  }

  const report = render(o, res, env);
  process.stdout.write(`${report}\n`);
  if (o.out !== undefined) {
    mkdirSync(resolve(o.out, '..'), { recursive: true });
    writeFileSync(o.out, report + '\n');
    writeFileSync(o.out.replace(/\.md$/, '.json'), JSON.stringify({ env, options: { ...o, servers: o.servers.map((s) => s.id), routes: o.routes.map((r) => r.id) }, startup: Object.fromEntries(res.startup), rss: Object.fromEntries(res.rss), load: Object.fromEntries(res.load) }, null, 2) + '\n');
    log(`written: ${o.out}`);
  }
}

function pkgVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(BENCH, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

function environment(): Record<string, string> {
  let source = 'unknown source';
  try {
    const src = JSON.parse(readFileSync(join(BENCH, '.lokstra', 'source.json'), 'utf8')) as { commit: string; modified: boolean; from: string };
    source = `commit ${src.commit}${src.modified ? ' + uncommitted changes' : ''}, npm pack of ${src.from.startsWith('/') ? 'the working tree' : src.from}`;
  } catch { /* prepared by hand */ }
  const cpu = os.cpus()[0]?.model ?? '?';
  return {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}`,
    node: process.version,
    lokstra: `${pkgVersion('lokstra')} (${source})`,
    fastify: pkgVersion('fastify'),
    '@nestjs/core': pkgVersion('@nestjs/core'),
    '@nestjs/platform-fastify': pkgVersion('@nestjs/platform-fastify'),
    'class-validator': pkgVersion('class-validator'),
    'class-transformer': pkgVersion('class-transformer'),
    inversify: pkgVersion('inversify'),
    autocannon: pkgVersion('autocannon'),
    typescript: pkgVersion('typescript'),
  };
}

const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '—');
const ratio = (a: number, b: number): string => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '—');

function render(o: Options, res: Results, env: Record<string, string>): string {
  const main = o.servers.filter((s) => s.scale === undefined);
  const scale = o.servers.filter((s) => s.scale !== undefined);
  const cpu = (sid: string, rid: string): number => median((res.load.get(`${sid}|${rid}`) ?? []).map((x) => x.cpuUsPerReq));
  const user = (sid: string, rid: string): number => median((res.load.get(`${sid}|${rid}`) ?? []).map((x) => x.userUsPerReq));
  const startup = (sid: string): number => median(res.startup.get(sid) ?? []);
  const rss = (sid: string): number => median(res.rss.get(sid) ?? []);
  const has = (id: string): boolean => o.servers.some((s) => s.id === id);
  const refs = ['fastify', 'nest'].filter(has);
  const lokstras = main.filter((s) => s.envelope);
  const lines: string[] = [];
  lines.push(`## Lokstra benchmark — ${env.date?.slice(0, 10)}${o.quick ? ' (quick run: not for comparison)' : ''}`, '');
  lines.push(`${env.machine}; Node ${env.node}. Each server its own process; autocannon in another, ${o.connections} connections, ${o.warmup} s warm-up + ${o.duration} s measured, ${o.rounds} interleaved round(s); startup = spawn to first 200 on GET /hello, median of ${o.startupRuns}. Medians throughout.`, '');
  lines.push('Versions: ' + Object.entries(env).filter(([k]) => !['date', 'machine', 'node'].includes(k)).map(([k, v]) => `${k} ${v}`).join(', ') + '.', '');

  // Ratio columns: every Lokstra variant ÷ Fastify and ÷ NestJS, and a variant ÷ its peer (Lokstra + built-ins ÷ Fastify + plugins).
  const labelOf = (id: string): string => o.servers.find((s) => s.id === id)?.label ?? id;
  const pairs: [ServerDef, string][] = [
    ...lokstras.flatMap((l) => refs.map((r): [ServerDef, string] => [l, r])),
    ...lokstras.filter((l) => l.peer !== undefined && has(l.peer)).map((l): [ServerDef, string] => [l, l.peer as string]),
  ];
  const ratioHead = pairs.map(([l, r]) => `${l.label} ÷ ${labelOf(r)}`);
  const table = (title: string, metric: (sid: string, rid: string) => number, footer: boolean): void => {
    lines.push(`### ${title}`, '');
    const head = ['', ...main.map((s) => s.label), ...ratioHead];
    lines.push(`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
    for (const route of o.routes) {
      lines.push(`| ${route.label} | ${main.map((s) => fmt(metric(s.id, route.id))).join(' | ')} | ${pairs.map(([l, r]) => ratio(metric(l.id, route.id), metric(r, route.id))).join(' | ')} |`);
    }
    if (footer) {
      lines.push(`| startup ms | ${main.map((s) => fmt(startup(s.id), 0)).join(' | ')} | ${pairs.map(([l, r]) => ratio(startup(l.id), startup(r))).join(' | ')} |`);
      lines.push(`| RSS after load MiB | ${main.map((s) => fmt(rss(s.id), 0)).join(' | ')} | ${pairs.map(([l, r]) => (Number.isFinite(rss(l.id) - rss(r)) ? `${rss(l.id) - rss(r) >= 0 ? '+' : ''}${fmt(rss(l.id) - rss(r), 0)} MiB` : '—')).join(' | ')} |`);
    }
    lines.push('');
  };
  table('Server CPU per request (µs: user + system, lower is better), startup and memory', cpu, true);
  table('User-space CPU per request (µs: JavaScript, GC, V8 — without the kernel\'s socket work)', user, false);

  lines.push('### Throughput and latency', '');
  lines.push('| route | server | req/s | p50 ms | p99 ms | CPU µs/req | user µs/req | CPU per round | CPU × Fastify | CPU × NestJS | background cores |', '|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|');
  for (const route of o.routes) {
    for (const s of o.servers) {
      const xs = res.load.get(`${s.id}|${route.id}`) ?? [];
      lines.push(`| ${route.label} | ${s.label} | ${fmt(median(xs.map((x) => x.reqPerSec)), 0)} | ${fmt(median(xs.map((x) => x.p50)), 0)} | ${fmt(median(xs.map((x) => x.p99)), 0)} | ${fmt(cpu(s.id, route.id))} | ${fmt(user(s.id, route.id))} | ${xs.map((x) => fmt(x.cpuUsPerReq)).join(' / ')} | ${ratio(cpu(s.id, route.id), cpu('fastify', route.id))} | ${ratio(cpu(s.id, route.id), cpu('nest', route.id))} | ${xs.map((x) => fmt(x.backgroundCores, 2)).join(' / ')} |`);
    }
  }
  lines.push('');

  if (scale.length > 0) {
    lines.push('### Scaling: the Lokstra app with more routes (generated controllers)', '');
    const rows = [...(has('lokstra') ? [{ id: 'lokstra', n: 3 }] : []), ...scale.map((s) => ({ id: s.id, n: s.scale as number }))];
    lines.push(`| routes | startup ms | ${o.routes.map((r) => `${r.label} µs (user)`).join(' | ')} | RSS MiB |`, `|---:|---:|${o.routes.map(() => '---:').join('|')}|---:|`);
    for (const row of rows) lines.push(`| ${row.n.toLocaleString('en')} | ${fmt(startup(row.id), 0)} | ${o.routes.map((r) => `${fmt(cpu(row.id, r.id))} (${fmt(user(row.id, r.id))})`).join(' | ')} | ${fmt(rss(row.id), 0)} |`);
    lines.push('');
  }
  lines.push('"Lokstra + mw": the sample\'s middleware on every route — the built-ins of its `admin` app in lokstra.config.yaml (recovery, request_id, request_logger, slow_request_logger, cors, compression, body_limit, security_headers, timeout; log level warn, so request log lines are built but not written) and `response_time` from samples/users-api.');
  if (has('lokstra-builtins') || has('fastify-plugins')) lines.push('"Lokstra + built-ins": request_id, request_logger, cors, security_headers, compression (log level warn). "Fastify + plugins", its peer: the raw Fastify server with genReqId + x-request-id echoed, Fastify\'s request log through pino at warn, @fastify/cors (same origins), @fastify/helmet and @fastify/compress with their defaults.');
  lines.push('"background cores": CPU used by other processes on the machine while a sample was measured (the machine is shared); samples with a high value are less trustworthy.');
  lines.push('Lokstra answers in its envelope (`{"code":"OK","success":true,"data":…}`); the other servers send the bare object.');
  return lines.join('\n');
}

main().catch((err: Error) => {
  log(err.stack ?? err.message);
  process.exit(1);
});


// The issue-20 numbers, in process (inject(), one request at a time: the framework's and the driver's
// work without sockets), interleaved rounds, median per variant:
//   1. GET /items/:id with a PostgreSQL query behind it, uncached vs behind the `cache` middleware
//      (memory store; every request a hit after the first): CPU µs per request and the ratio;
//   2. the three pools on the same simple query (`SELECT id, name FROM items WHERE id = ?`):
//      wall µs per query (mean and p99) and CPU µs per query.
//   node -r ts-node/register/transpile-only bench/scripts/data-inject.ts [requests per round] [rounds]
// Needs PostgreSQL and MariaDB as in the tests (LOKSTRA_TEST_PG_URL / LOKSTRA_TEST_MYSQL_URL).
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Context, defineModule, Lokstra, type AnyDbPool, type LokstraHandle } from '../../src/index';

const PG_URL = process.env.LOKSTRA_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MYSQL_URL = process.env.LOKSTRA_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const N = Number(process.argv[2] ?? 2000);
const ROUNDS = Number(process.argv[3] ?? 5);
const TABLE = `lks_bench_items_${process.pid}`;

const cpuUs = (): number => { const u = process.cpuUsage(); return u.user + u.system; };
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const mod = defineModule({
  name: 'bench',
  handlers: {
    'bench.item': async (ctx: Context) => ctx.ok(await ctx.container.get<AnyDbPool>('db').queryOne(`SELECT id, name FROM ${TABLE} WHERE id = $1`, [Number(ctx.params.id)])),
  },
});

async function app(cached: boolean): Promise<LokstraHandle> {
  return Lokstra.build({
    server: { global_setting: { log_level: 'error' } },
    services: [{ name: 'db', type: 'lokstra.dbpool_pg', config: { dsn: PG_URL } }],
    apps: [{ name: 'api', address: ':0', routes: [{ method: 'GET', path: '/items/:id', handler: 'bench.item', ...(cached ? { middleware: [{ name: 'cache', config: { ttl: '1h' } }] } : {}) }] }],
  } as never, { modules: [mod] });
}

async function httpRound(h: LokstraHandle): Promise<number> {
  const start = cpuUs();
  for (let i = 0; i < N; i++) {
    const res = await h.apps[0]!.inject({ method: 'GET', url: '/items/1' });
    if (res.statusCode !== 200) throw new Error(`GET /items/1 → ${res.statusCode}`);
  }
  return (cpuUs() - start) / N;
}

async function poolRound(pool: AnyDbPool, sql: string): Promise<{ cpu: number; mean: number; p99: number }> {
  const times: number[] = [];
  const start = cpuUs();
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    await pool.queryOne(sql, [1]);
    times.push((performance.now() - t) * 1000);
  }
  const cpu = (cpuUs() - start) / N;
  times.sort((a, b) => a - b);
  return { cpu, mean: times.reduce((a, b) => a + b, 0) / N, p99: times[Math.floor(N * 0.99)] as number };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lokstra-bench-'));
  const h = await Lokstra.build({
    server: { global_setting: { log_level: 'error' } },
    services: [
      { name: 'pg', type: 'lokstra.dbpool_pg', config: { dsn: PG_URL } },
      { name: 'mysql', type: 'lokstra.dbpool_mysql', config: { dsn: MYSQL_URL } },
      { name: 'sqlite', type: 'lokstra.dbpool_sqlite', config: { file: join(dir, 'bench.db') } },
    ],
    apps: [],
  } as never);
  const pools = (['pg', 'mysql', 'sqlite'] as const).map((n) => h.getService<AnyDbPool>(n));
  for (const p of pools) {
    await p.exec(`CREATE TABLE ${TABLE} (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL)`);
    await p.exec(`INSERT INTO ${TABLE} (id, name) VALUES (1, 'Ann Lee')`);
  }
  const [plain, cached] = [await app(false), await app(true)];
  try {
    const http: Record<string, number[]> = { uncached: [], cached: [] };
    const db: Record<string, { cpu: number[]; mean: number[]; p99: number[] }> = {};
    for (let r = 0; r < ROUNDS; r++) {
      http.uncached!.push(await httpRound(plain));
      http.cached!.push(await httpRound(cached));
      for (const p of pools) {
        const m = await poolRound(p, `SELECT id, name FROM ${TABLE} WHERE id = ${p.dialect === 'postgres' ? '$1' : '?'}`);
        const e = (db[p.dialect] ??= { cpu: [], mean: [], p99: [] });
        e.cpu.push(m.cpu); e.mean.push(m.mean); e.p99.push(m.p99);
      }
    }
    const u = median(http.uncached!);
    const c = median(http.cached!);
    console.log(`GET /items/:id (pg query behind it), CPU µs/request, median of ${ROUNDS} × ${N}:`);
    console.log(`  uncached ${u.toFixed(1)}   cached ${c.toFixed(1)}   cached/uncached ${(c / u).toFixed(2)}×`);
    console.log(`pools, SELECT by primary key, median of ${ROUNDS} × ${N} sequential queries (µs):`);
    for (const [name, e] of Object.entries(db)) console.log(`  ${name.padEnd(8)} mean ${median(e.mean).toFixed(1).padStart(7)}   p99 ${median(e.p99).toFixed(1).padStart(7)}   CPU ${median(e.cpu).toFixed(1).padStart(6)}`);
  } finally {
    for (const p of pools) await p.exec(`DROP TABLE ${TABLE}`).catch(() => undefined);
    await Promise.all([plain.close(), cached.close(), h.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => { console.error(err); process.exit(1); });

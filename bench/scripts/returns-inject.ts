// CPU per in-process request (light-my-request `inject`, no sockets) of GET /users/:id:
//   lokstra            — the route returns the entity, envelope written by JSON.stringify
//   lokstra-returns    — the same route with @Returns(UserView): the compiled serialiser strips `password`
//   fastify-schema     — raw Fastify with a response schema (fast-json-stringify) for the same envelope
// Interleaved rounds, median of CPU time (user + system) / request. Run from the repository root:
//   node -r ts-node/register/transpile-only bench/scripts/returns-inject.ts [requests] [rounds]
// In-process numbers include light-my-request's own cost; for the socket benchmark see bench/README.md.
// `… returns-inject.ts callgrind <server> <n>` only boots one server and sends n requests, for
// bench/scripts/callgrind-returns.sh (instructions per request, independent of the machine's load).
import 'reflect-metadata';
import Fastify from 'fastify';
import { IsEmail, IsInt, IsString } from '../../node_modules/class-validator';
import { Get, Lokstra, Path, Returns, Route, type LokstraHandle } from '../../src/index';

const N = Number(process.argv[2] === 'callgrind' ? 0 : process.argv[2] ?? 20000);
const ROUNDS = Number(process.argv[3] ?? 5);
const entity = (id: number) => ({ id, name: 'Ada Lovelace', email: 'ada@example.com', password: 'hunter2', createdAt: '2020-01-01' });

class UserView { @IsInt() id!: number; @IsString() name!: string; @IsEmail() email!: string; }

@Route('/users') class Plain { @Get('/:id') get(@Path('id') id: number): unknown { return entity(id); } }
@Route('/users') class WithReturns { @Get('/:id') @Returns(UserView) get(@Path('id') id: number): unknown { return entity(id); } }

async function lokstra(ctl: new () => object): Promise<{ inject: LokstraHandle['apps'][number]['inject']; close(): Promise<void> }> {
  const lk = new Lokstra({ handleSignals: false });
  lk.app('api', ':0').mount(ctl);
  const h = await lk.build({ server: { global_setting: { log_level: 'error' } } });
  return { inject: (o) => h.apps[0]!.inject(o), close: () => h.close() };
}

async function fastify(): Promise<{ inject: (url: string) => Promise<unknown>; close(): Promise<void> }> {
  const app = Fastify();
  const view = { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, email: { type: 'string' } }, required: ['id', 'name', 'email'] };
  app.get('/users/:id', {
    schema: {
      params: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
      response: { 200: { type: 'object', properties: { code: { type: 'string' }, success: { type: 'boolean' }, data: view } } },
    },
  }, async (req) => ({ code: 'OK', success: true, data: entity((req.params as { id: number }).id) }));
  await app.ready();
  return { inject: (url) => app.inject(url), close: () => app.close() };
}

async function measure(inject: (url: string) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 2000; i++) await inject(`/users/${i % 100}`);
  const before = process.cpuUsage();
  for (let i = 0; i < N; i++) await inject(`/users/${i % 100}`);
  const d = process.cpuUsage(before);
  return (d.user + d.system) / N;
}

async function callgrindRun(name: string, n: number): Promise<void> {
  const s = name === 'fastify-schema' ? await fastify() : await lokstra(name === 'lokstra-returns' ? WithReturns : Plain);
  for (let i = 0; i < n; i++) await s.inject(`/users/${i % 100}` as never);
  await s.close();
}

async function main(): Promise<void> {
  if (process.argv[2] === 'callgrind') return callgrindRun(process.argv[3] as string, Number(process.argv[4]));
  const servers = { lokstra: await lokstra(Plain), 'lokstra-returns': await lokstra(WithReturns), 'fastify-schema': await fastify() };
  const body = String((await servers['lokstra-returns'].inject('/users/1') as { body: string }).body);
  if (body.includes('hunter2') || !body.includes('"name":"Ada Lovelace"')) throw new Error(`unexpected body ${body}`);
  const samples: Record<string, number[]> = {};
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, s] of Object.entries(servers)) (samples[name] ??= []).push(await measure((u) => s.inject(u as never)));
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  for (const [name, xs] of Object.entries(samples)) console.log(`${name.padEnd(16)} ${median(xs).toFixed(1)} µs CPU/request (rounds: ${xs.map((x) => x.toFixed(1)).join(', ')})`);
  for (const s of Object.values(servers)) await s.close();
}

main().catch((err: unknown) => { console.error(err); process.exit(1); });

// CPU per request of GET /users/:id behind authentication, in process (inject(), one request at a
// time, so it is the framework's work without sockets): Lokstra without auth, with `jwt` (HS256) and
// with `api_key`, against Fastify without auth and Fastify with the onRequest hook a Fastify user
// writes with jose (@fastify/jwt, the peer, is not installed in this repository).
//   node -r ts-node/register/transpile-only bench/scripts/auth-inject.ts [requests per round] [rounds]
// Rounds are interleaved (A B C D E, A B C D E …); the median per variant is printed with ratios.
import 'reflect-metadata';
import Fastify, { type FastifyInstance } from 'fastify';
import { SignJWT, jwtVerify } from 'jose';
import { apiKeyHash, Get, Lokstra, Module, Path, Route, type LokstraHandle } from '../../src/index';

const SECRET = 'bench-secret-0123456789-abcdefghijklmnop';
const KEY = 'lk_bench_key_0123456789abcdefghijklmnop';

@Route('/users')
class UserController {
  @Get('/:id')
  get(@Path('id') id: number) {
    return { id, name: 'Ann Lee' };
  }
}

@Module({ controllers: [UserController] })
class BenchModule {}

type Inject = (headers: Record<string, string>) => Promise<number>;

async function lokstra(middleware: unknown[]): Promise<{ inject: Inject; close: () => Promise<void> }> {
  const h: LokstraHandle = await Lokstra.build({
    server: { global_setting: { log_level: 'error' } },
    apps: [{ name: 'api', address: ':0', middleware }],
  } as never, { modules: [BenchModule] });
  const app = h.apps[0]!;
  return { inject: async (headers) => (await app.inject({ method: 'GET', url: '/users/42', headers })).statusCode, close: () => h.close() };
}

async function fastify(withJwt: boolean): Promise<{ inject: Inject; close: () => Promise<void> }> {
  const f: FastifyInstance = Fastify();
  const key = new TextEncoder().encode(SECRET);
  if (withJwt) {
    f.addHook('onRequest', async (req, reply) => {
      const auth = req.headers.authorization;
      if (auth === undefined || !auth.startsWith('Bearer ')) return reply.code(401).send({ error: 'unauthorized' });
      try {
        (req as unknown as { user: unknown }).user = (await jwtVerify(auth.slice(7), key, { algorithms: ['HS256'] })).payload;
      } catch {
        return reply.code(401).send({ error: 'unauthorized' });
      }
    });
  }
  f.get('/users/:id', {
    schema: { params: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] } },
  }, async (req) => ({ id: (req.params as { id: number }).id, name: 'Ann Lee' }));
  await f.ready();
  return { inject: async (headers) => (await f.inject({ method: 'GET', url: '/users/42', headers })).statusCode, close: () => f.close() };
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 3000);
  const rounds = Number(process.argv[3] ?? 5);
  const token = await new SignJWT({ roles: ['member'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('u1').setExpirationTime('1h').sign(new TextEncoder().encode(SECRET));
  const bearer = { authorization: `Bearer ${token}` };
  const variants: [string, () => ReturnType<typeof fastify>, Record<string, string>][] = [
    ['fastify', () => fastify(false), {}],
    ['fastify + jose hook (HS256)', () => fastify(true), bearer],
    ['lokstra', () => lokstra([]), {}],
    ['lokstra + jwt (HS256)', () => lokstra([{ name: 'jwt', config: { secret: SECRET, algorithms: ['HS256'] } }]), bearer],
    ['lokstra + api_key', () => lokstra([{ name: 'api_key', config: { keys: [{ id: 'bench', hash: apiKeyHash(KEY) }] } }]), { 'x-api-key': KEY }],
  ];
  const servers = await Promise.all(variants.map(async ([name, start, headers]) => ({ name, headers, ...(await start()) })));
  const samples = new Map<string, number[]>(servers.map((s) => [s.name, []]));
  for (const s of servers) for (let i = 0; i < 500; i++) if (await s.inject(s.headers) !== 200) throw new Error(`${s.name}: not 200`);
  for (let r = 0; r < rounds; r++) {
    for (const s of servers) {
      const before = process.cpuUsage();
      for (let i = 0; i < n; i++) await s.inject(s.headers);
      const used = process.cpuUsage(before);
      samples.get(s.name)!.push((used.user + used.system) / n);
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const base = median(samples.get('fastify + jose hook (HS256)')!);
  console.log(`| variant | CPU µs/request (median of ${rounds} × ${n}) | ÷ Fastify + jose hook |`);
  console.log('|---|---|---|');
  for (const [name, xs] of samples) console.log(`| ${name} | ${median(xs).toFixed(1)} | ${(median(xs) / base).toFixed(2)}× |`);
  for (const s of servers) await s.close();
}

main().catch((e) => { console.error(e); process.exit(1); });

// Fastify + plugins: the raw Fastify server of fastify.ts with the plugins a Fastify user adds for
// what "Lokstra + built-ins" does (lokstra.ts --builtins) — the fair middleware peer (issue 13, item 5):
//   request ids  genReqId (prefix + counter, like Lokstra's) and a client's x-request-id, echoed
//   access log   Fastify's own request log ("incoming request" / "request completed", info level)
//                through pino set to warn: the lines are skipped the way Lokstra's request_logger skips
//   cors         @fastify/cors, the same origins (one exact, one `*.admin.example.com` pattern), credentials, exposed x-request-id
//   helmet       @fastify/helmet with its defaults
//   compress     @fastify/compress with its defaults (threshold 1024: these small bodies are sent as they are)
import { randomBytes } from 'node:crypto';
import fastify from 'fastify';
import fastifyCompress from '@fastify/compress';
import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import { addFastifyRoutes } from '../shared/fastify-routes';
import { portFromEnv } from '../shared/routes';
import { UserStore } from '../shared/users';
import { CORS_ORIGINS } from '../shared/middleware';

const users = new UserStore();
const prefix = randomBytes(4).toString('hex');
let counter = 0;

const app = fastify({
  logger: { level: 'warn' },
  requestIdHeader: 'x-request-id',
  genReqId: () => `${prefix}-${(++counter).toString(36)}`,
});

/** `*` in an origin pattern = one or more DNS labels, as Lokstra's cors matches it. */
const originPattern = (pattern: string): string | RegExp => (pattern.includes('*')
  ? new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[a-z0-9-]+(?:\\.[a-z0-9-]+)*')}$`, 'i')
  : pattern);

async function main(): Promise<void> {
  app.addHook('onSend', (req, reply, payload, done) => {
    reply.header('x-request-id', req.id);
    done(null, payload);
  });
  await app.register(fastifyCors, {
    origin: CORS_ORIGINS.map(originPattern),
    credentials: true,
    exposedHeaders: ['x-request-id'],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    maxAge: 86400,
  });
  await app.register(fastifyHelmet);
  await app.register(fastifyCompress);

  addFastifyRoutes(app, users);

  await app.listen({ port: portFromEnv(), host: '127.0.0.1' });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
process.on('SIGTERM', () => { void app.close().then(() => process.exit(0)); });

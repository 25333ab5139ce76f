// Raw Fastify 5: JSON-schema validation (ajv) and response schemas (fast-json-stringify).
import fastify from 'fastify';
import { addFastifyRoutes } from '../shared/fastify-routes';
import { portFromEnv } from '../shared/routes';
import { UserStore } from '../shared/users';

const users = new UserStore();
const app = fastify({ logger: false });

addFastifyRoutes(app, users);

app.listen({ port: portFromEnv(), host: '127.0.0.1' }).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
process.on('SIGTERM', () => { void app.close().then(() => process.exit(0)); });

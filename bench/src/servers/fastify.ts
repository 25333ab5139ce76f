// Raw Fastify 5: JSON-schema validation (ajv) and response schemas (fast-json-stringify).
import fastify from 'fastify';
import { CREATE_USER_SCHEMA, portFromEnv } from '../shared/routes';
import { UserStore, type CreateUser } from '../shared/users';

const users = new UserStore();
const app = fastify({ logger: false });

app.get('/hello', {
  schema: { response: { 200: { type: 'object', properties: { message: { type: 'string' } } } } },
}, async () => ({ message: 'hello' }));

app.get<{ Params: { id: number }; Querystring: { verbose?: boolean } }>('/users/:id', {
  schema: {
    params: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } },
    querystring: { type: 'object', properties: { verbose: { type: 'boolean' } } },
    response: { 200: { type: 'object', properties: { id: { type: 'integer' }, verbose: { type: 'boolean' } } } },
  },
}, async (req) => users.find(req.params.id, req.query.verbose));

app.post<{ Body: CreateUser }>('/users', {
  schema: {
    body: CREATE_USER_SCHEMA,
    response: {
      201: {
        type: 'object',
        properties: { id: { type: 'integer' }, name: { type: 'string' }, email: { type: 'string' }, age: { type: 'integer' } },
      },
    },
  },
}, async (req, reply) => {
  reply.code(201);
  return users.create(req.body);
});

app.listen({ port: portFromEnv(), host: '127.0.0.1' }).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
process.on('SIGTERM', () => { void app.close().then(() => process.exit(0)); });

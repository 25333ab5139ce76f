// The three bench routes on a Fastify instance, with JSON-schema validation (ajv) and response
// schemas (fast-json-stringify): shared by the raw Fastify and "Fastify + plugins" servers.
import type { FastifyInstance } from 'fastify';
import { CREATE_USER_SCHEMA } from './routes';
import type { CreateUser, UserStore } from './users';

export function addFastifyRoutes(app: FastifyInstance, users: UserStore): void {
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
}

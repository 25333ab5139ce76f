/* eslint-disable @typescript-eslint/no-explicit-any -- walking a JSON document */
import 'reflect-metadata';
import { Lokstra, type LokstraHandle } from '../../src/index';
import { buildOpenApiDocument, type OpenApiDocument } from '../../src/openapi/index';
import { memoryLogger } from '../http/binding/harness';
import { ProfileController, WeightController } from './stress-dtos';
import { openApiErrors } from './validate';

let h: LokstraHandle;
let doc: OpenApiDocument;
beforeAll(async () => {
  const lk = new Lokstra({ logger: memoryLogger() });
  lk.app('api', ':0').mount(ProfileController).mount(WeightController).openapi({ title: 'Stress', version: '2.0.0', servers: [{ url: 'https://api.example.com' }] })
    .get('/files/*', (ctx) => ctx.ok('file'));
  h = await lk.build({});
  const res = await h.apps[0]!.inject('/openapi.json');
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  doc = res.json() as OpenApiDocument;
});
afterAll(() => h.close());

const op = (path: string, method: string): Record<string, any> => (doc.paths[path] as Record<string, any>)[method];

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document for the stress DTO set', async () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toEqual({ title: 'Stress', version: '2.0.0' });
    expect(doc.servers).toEqual([{ url: 'https://api.example.com' }]);
    expect(await openApiErrors(doc)).toEqual([]);
  });

  it('describes nesting, arrays, enums, dates, nullable and inherited fields from the DTO schema compiler', () => {
    const view = doc.components.schemas.ProfileView as Record<string, any>;
    expect(view.properties.createdAt).toEqual({ type: 'string', format: 'date-time' });
    expect(view.properties.updatedAt).toEqual({ anyOf: [{ type: 'null' }, { type: 'string', format: 'date-time' }] });
    expect(view.properties.role).toEqual({ enum: ['admin', 'member'] });
    expect(view.properties.tags).toEqual(expect.objectContaining({ type: 'array', items: { $ref: '#/components/schemas/Tag' }, maxItems: 5 }));
    expect(view.required).toEqual(expect.arrayContaining(['createdAt', 'id', 'email', 'role', 'tier', 'active', 'tags']));
    expect(doc.components.schemas.Node).toEqual(expect.objectContaining({ type: 'object' }));
    expect(JSON.stringify(doc.components.schemas.Node)).toContain('"#/components/schemas/Node"');
  });

  it('keeps two classes with one name apart', () => {
    expect(doc.components.schemas.Tag).toEqual(expect.objectContaining({ properties: { label: expect.any(Object) } }));
    expect(doc.components.schemas.Tag_2).toEqual(expect.objectContaining({ properties: { weight: { type: 'integer' } } }));
    expect(JSON.stringify(doc.components.schemas.Weighted)).toContain('#/components/schemas/Tag_2');
  });

  it('lists path, query and header parameters with types and constraints', () => {
    const search = op('/profiles', 'get');
    expect(search.parameters).toEqual([
      { name: 'q', in: 'query', required: false, schema: { type: 'string' } },
      { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 50 } },
      { name: 'role', in: 'query', required: false, schema: { enum: ['admin', 'member'] } },
      { name: 'x-tenant', in: 'header', required: true, schema: { type: 'string' } },
    ]);
    const flags = op('/profiles/{id}/flags', 'put');
    expect(flags.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'number' } },
      { name: 'dry', in: 'query', required: true, schema: { type: 'boolean' } },
    ]);
    expect(flags.requestBody.content['application/json'].schema).toEqual({ type: 'object', properties: { enabled: { type: 'boolean' } } });
  });

  it('describes request bodies per accepted content type and envelope responses with data from @Returns', () => {
    const create = op('/profiles', 'post');
    expect(Object.keys(create.requestBody.content)).toEqual(['application/json', 'application/x-www-form-urlencoded']);
    expect(create.requestBody).toEqual(expect.objectContaining({ required: true }));
    expect(create.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CreateProfile' });
    const created = create.responses['201'].content['application/json'].schema;
    expect(created.properties.data).toEqual({ $ref: '#/components/schemas/ProfileView' });
    expect(op('/profiles', 'get').responses['200'].content['application/json'].schema.properties.data).toEqual({ type: 'array', items: { $ref: '#/components/schemas/ProfileView' } });
  });

  it('lists the errors each route can produce', () => {
    expect(Object.keys(op('/profiles', 'post').responses).sort()).toEqual(['201', '400', '413', '415', '500']);
    expect(Object.keys(op('/profiles/{id}', 'get').responses).sort()).toEqual(['200', '400', '404', '500']);
    expect(op('/profiles', 'post').responses['400']).toEqual({ $ref: '#/components/responses/BadRequest' });
    expect(doc.components.responses.BadRequest!.content!['application/json']!.schema).toEqual({ $ref: '#/components/schemas/ErrorEnvelope' });
    expect((doc.components.schemas.ErrorEnvelope as Record<string, any>).properties.errors).toEqual(expect.objectContaining({ type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } }));
  });

  it('adds tags, @Doc prose and stable operationIds; leaves out wildcard routes and its own routes', () => {
    const one = op('/profiles/{id}', 'get');
    expect(one).toEqual(expect.objectContaining({ operationId: 'ProfileController_one', tags: ['profiles'], summary: 'One profile', deprecated: true }));
    expect(op('/weights', 'post').tags).toEqual(['Weight']);
    expect(doc.tags).toEqual([{ name: 'Weight' }, { name: 'profiles' }]);
    expect(Object.keys(doc.paths)).not.toContain('/openapi.json');
    expect(Object.keys(doc.paths).some((p) => p.includes('*') || p.startsWith('/docs'))).toBe(false);
  });

  it('is the same document on every build (stable for drift checks)', async () => {
    const again = buildOpenApiDocument(h.routes.filter((r) => r.app === 'api'), { app: 'api', title: 'Stress', version: '2.0.0', servers: [{ url: 'https://api.example.com' }] });
    expect(again).toEqual(doc);
  });

  it('adds 401/403/429 and security schemes when auth or rate-limit middleware guards a route', async () => {
    const guarded = h.routes.filter((r) => r.app === 'api').map((r) => (r.url === '/profiles' && r.method === 'POST' ? { ...r, middleware: ['jwt', 'authorize', 'rate_limit'] } : r.url === '/weights' ? { ...r, middleware: ['api_key'] } : r));
    const g = buildOpenApiDocument(guarded, { app: 'api' });
    const post = (g.paths['/profiles'] as Record<string, any>).post;
    expect(Object.keys(post.responses).sort()).toEqual(['201', '400', '401', '403', '413', '415', '429', '500']);
    expect(post.security).toEqual([{ bearerAuth: [] }]);
    expect((g.paths['/weights'] as Record<string, any>).post.security).toEqual([{ apiKeyAuth: [] }]);
    expect(g.components.securitySchemes).toEqual({
      bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, apiKeyAuth: { type: 'apiKey', in: 'header', name: 'x-api-key' },
    });
    expect(await openApiErrors(g)).toEqual([]);
  });
});

describe('Swagger UI', () => {
  it('serves the page and its assets from @fastify/swagger-ui, pointing at the document', async () => {
    const page = await h.apps[0]!.inject('/docs');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('/docs/static/swagger-ui-bundle.js');
    expect(page.body).not.toMatch(/https?:\/\//);
    const init = await h.apps[0]!.inject('/docs/static/swagger-initializer.js');
    expect(init.body).toContain('"/openapi.json"');
    const bundle = await h.apps[0]!.inject('/docs/static/swagger-ui-bundle.js');
    expect(bundle.statusCode).toBe(200);
    expect(bundle.headers['content-type']).toMatch(/javascript/);
    expect(bundle.body.length).toBeGreaterThan(100_000);
    expect((await h.apps[0]!.inject('/docs/static/..%2Fpackage.json')).statusCode).toBe(404);
    expect((await h.apps[0]!.inject('/docs/static/index.html')).statusCode).toBe(404);
  });
});

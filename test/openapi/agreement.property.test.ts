/* eslint-disable @typescript-eslint/no-explicit-any -- walking a JSON document */
import 'reflect-metadata';
import fc from 'fast-check';
import { join } from 'node:path';
import { Lokstra, type LokstraHandle } from '../../src/index';
import { UsersApiModule } from '../../samples/users-api/module';
import { memoryLogger } from '../http/binding/harness';
import { invalidObject, valid, wrong, type Resolve, type Schema } from './arbitrary';

// The document and the server agree: request bodies and parameters generated from the served
// document's schemas are accepted (never a 400), and breaking one property or parameter is a 400
// VALIDATION_ERROR naming it.

const ROOT = join(__dirname, '..', '..');
const RUNS = 60;

let h: LokstraHandle;
let doc: any;
let resolve: Resolve;
beforeAll(async () => {
  delete process.env.PORT;
  delete process.env.ADMIN_PORT;
  h = await Lokstra.build(join(ROOT, 'lokstra.config.yaml'), { modules: [UsersApiModule], logger: memoryLogger() });
  doc = (await h.app('api').inject('/openapi.json')).json();
  resolve = (ref) => doc.components.schemas[ref.replace('#/components/schemas/', '')] as Schema;
});
afterAll(() => h.close());

const inject = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
  h.app('api').inject({ method: method as 'POST', url, headers: { 'content-type': 'application/json', ...headers }, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) });

// Every operation with a JSON body, and a concrete URL for it (user 1 exists in the sample).
const BODIES: [string, string, string][] = [
  ['POST', '/users', '/users'],
  ['PATCH', '/users/{id}', '/users/1'],
  ['POST', '/api/v1/users/{userId}/orders', '/api/v1/users/1/orders'],
];

describe('document ↔ server agreement (property)', () => {
  it('covers every operation of the document that takes a body', () => {
    const withBody = Object.entries(doc.paths as Record<string, Record<string, any>>)
      .flatMap(([p, ops]) => Object.entries(ops).filter(([, o]) => o.requestBody !== undefined).map(([m]) => `${m.toUpperCase()} ${p}`));
    expect(withBody.sort()).toEqual(BODIES.map(([m, p]) => `${m} ${p}`).sort());
  });

  it.each(BODIES)('accepts bodies generated from the schema of %s %s', async (method, path, url) => {
    const schema = doc.paths[path][method.toLowerCase()].requestBody.content['application/json'].schema as Schema;
    await fc.assert(fc.asyncProperty(valid(schema, resolve), async (body) => {
      const res = await inject(method, url, body);
      // 409: the sample's unique e-mail rule (a business rule no schema states).
      if (res.statusCode >= 400 && !(res.statusCode === 409 && res.json().code === 'DUPLICATE')) throw new Error(`${res.statusCode} ${res.body} for ${JSON.stringify(body)}`);
    }), { numRuns: RUNS });
  });

  it.each(BODIES)('rejects bodies that break the schema of %s %s with 400', async (method, path, url) => {
    const schema = doc.paths[path][method.toLowerCase()].requestBody.content['application/json'].schema as Schema;
    await fc.assert(fc.asyncProperty(invalidObject(schema, resolve), async ({ value, broken }) => {
      const res = await inject(method, url, value);
      if (res.statusCode !== 400 || res.json().code !== 'VALIDATION_ERROR') throw new Error(`${broken}: ${res.statusCode} ${res.body}`);
      const field = broken.split(/[ =]/)[0] as string;
      if (!Object.keys(res.json().errors ?? {}).some((k) => k === field || k.startsWith(`${field}.`) || k.startsWith(`${field}[`))) throw new Error(`${broken}: errors ${JSON.stringify(res.json().errors)}`);
    }), { numRuns: RUNS });
  });

  it('accepts query and header parameters generated from GET /users, and rejects a broken one with 400', async () => {
    const params = doc.paths['/users'].get.parameters as { name: string; in: string; required: boolean; schema: Schema }[];
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const p of params) model[p.name] = valid(p.schema, resolve);
    const send = (values: Record<string, unknown>) => {
      const query = new URLSearchParams();
      const headers: Record<string, string> = {};
      for (const p of params) {
        if (values[p.name] === undefined) continue;
        if (p.in === 'query') query.set(p.name, String(values[p.name]));
        else headers[p.name] = String(values[p.name]).trim() || 'x';
      }
      return h.app('api').inject({ method: 'GET', url: `/users?${query}`, headers });
    };
    await fc.assert(fc.asyncProperty(fc.record(model, { requiredKeys: params.filter((p) => p.required).map((p) => p.name) }), async (values) => {
      const res = await send(values);
      if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body} for ${JSON.stringify(values)}`);
    }), { numRuns: RUNS });
    const breakable = params.filter((p) => p.in === 'query' && wrong(p.schema) !== undefined && p.schema.type !== 'string');
    expect(breakable.map((p) => p.name)).toEqual(['page', 'page_size']);
    const broken = fc.oneof(...breakable.map((p) => (wrong(p.schema) as fc.Arbitrary<unknown>)
      .filter((v) => !Array.isArray(v) && typeof v !== 'boolean').map((v) => ({ name: p.name, value: v }))));
    await fc.assert(fc.asyncProperty(broken, async ({ name, value }) => {
      const res = await send({ [name]: value });
      // `errors` is keyed by the DTO property (`pageSize`), not the wire name (`page_size`): status and code only.
      if (res.statusCode !== 400 || res.json().code !== 'VALIDATION_ERROR') throw new Error(`${name}=${String(value)}: ${res.statusCode} ${res.body}`);
    }), { numRuns: RUNS });
  });
});

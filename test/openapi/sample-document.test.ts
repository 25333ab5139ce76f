import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Lokstra, type LokstraHandle } from '../../src/index';
import { UsersApiModule } from '../../samples/users-api/module';
import { memoryLogger } from '../http/binding/harness';
import { openApiErrors } from './validate';

// The users-api sample's document is committed (samples/users-api/openapi.json): a change to the
// sample's routes, DTOs or the generator shows up as a diff. Regenerate with
// `LOKSTRA_UPDATE_OPENAPI=1 npx jest test/openapi/sample-document.test.ts` or `npm run openapi:sample`.

const ROOT = join(__dirname, '..', '..');
const COMMITTED = join(ROOT, 'samples', 'users-api', 'openapi.json');

describe('sample: users-api OpenAPI document', () => {
  let h: LokstraHandle;
  let served: string;
  beforeAll(async () => {
    delete process.env.PORT;
    delete process.env.ADMIN_PORT;
    h = await Lokstra.build(join(ROOT, 'lokstra.config.yaml'), { modules: [UsersApiModule], logger: memoryLogger() });
    const res = await h.app('api').inject('/openapi.json');
    expect(res.statusCode).toBe(200);
    served = `${JSON.stringify(res.json(), null, 2)}\n`;
    if (process.env.LOKSTRA_UPDATE_OPENAPI === '1') writeFileSync(COMMITTED, served);
  });
  afterAll(() => h.close());

  it('is served from YAML alone and passes the OpenAPI 3.1 validator', async () => {
    expect(await openApiErrors(JSON.parse(served))).toEqual([]);
  });

  it('matches the committed document (no drift)', () => {
    expect(served).toBe(readFileSync(COMMITTED, 'utf8'));
  });

  it('describes every route of the api app but its own', () => {
    const doc = JSON.parse(served) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort();
    const routes = h.routes.filter((r) => r.app === 'api' && !r.source.includes('openapi'))
      .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`).sort();
    expect(documented).toEqual(routes);
  });

  it('serves Swagger UI on the app', async () => {
    const res = await h.app('api').inject('/docs');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('swagger-ui-bundle.js');
  });
});

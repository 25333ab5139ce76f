/* eslint-disable @typescript-eslint/no-explicit-any -- walking a JSON document */
import 'reflect-metadata';
import { join } from 'node:path';
import { buildOpenApiDocument, Lokstra, type LokstraHandle } from '../../src/index';
import { SecureApiModule } from '../../samples/secure-api/module';
import { memoryLogger } from '../http/binding/harness';
import { describeWith, REDIS_URL } from '../services/helpers/servers';
import { openApiErrors } from './validate';

// The auth middleware of samples/secure-api (jwt, api_key, authorize, @Roles/@Scopes, @Public,
// rate_limit on a Redis store), detected by name from the compiled middleware chains.

const CONFIG = join(__dirname, '..', '..', 'samples', 'secure-api', 'lokstra.yaml');

describeWith(['Redis'], 'OpenAPI of samples/secure-api: security from auth middleware', () => {
  let h: LokstraHandle;
  const saved = { ...process.env };
  beforeAll(async () => {
    Object.assign(process.env, { PORT: '0', ADMIN_PORT: '0', WEB_PORT: '0', REDIS_URL });
    h = await Lokstra.build(CONFIG, { modules: [SecureApiModule], logger: memoryLogger(), handleSignals: false });
  });
  afterAll(async () => {
    process.env = saved;
    await h?.close();
  });
  const doc = (app: string): any => buildOpenApiDocument(h.routes.filter((r) => r.app === app), { app });

  it('marks the JWT app bearer-protected with 401/403 from @Roles/@Scopes and 429 from rate_limit', async () => {
    const api = doc('api');
    expect(await openApiErrors(api)).toEqual([]);
    expect(api.components.securitySchemes).toEqual({ bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } });
    const list = api.paths['/notes'].get;
    expect(list.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(list.responses).sort()).toEqual(['200', '401', '403', '429', '500']);
    expect(Object.keys(api.paths['/notes/{id}'].delete.responses)).toEqual(expect.arrayContaining(['401', '403', '404']));
  });

  it('leaves @Public() routes without a security requirement', () => {
    const token = doc('api').paths['/auth/token'].post;
    expect(token.security).toBeUndefined();
    expect(Object.keys(token.responses).sort()).toEqual(['200', '400', '413', '415', '429', '500']);
  });

  it('marks the admin app with the API key scheme and authorize', async () => {
    const admin = doc('admin');
    expect(await openApiErrors(admin)).toEqual([]);
    expect(admin.components.securitySchemes).toEqual({ apiKeyAuth: { type: 'apiKey', in: 'header', name: 'x-api-key' } });
    const stats = admin.paths['/admin/stats'].get;
    expect(stats.security).toEqual([{ apiKeyAuth: [] }]);
    expect(Object.keys(stats.responses).sort()).toEqual(['200', '401', '403', '500']);
  });
});

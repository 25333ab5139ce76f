import 'reflect-metadata';
import { createTestApp, type TestApp } from 'lokstra/testing';
import { AppModule } from '../src/app.module.js';

describe('two apps, one codebase', () => {
  let t: TestApp;
  beforeAll(async () => {
    process.env.ADMIN_TOKEN = 'test-token';
    t = await createTestApp('lokstra.config.yaml', { modules: [AppModule] });
  });
  afterAll(() => t.close());

  it('serves items on the api app', async () => {
    (await t.app('api').post('/items', { name: 'second' })).expectOk(201);
    expect((await t.app('api').get('/items')).expectOk<unknown[]>()).toHaveLength(2);
  });

  it('serves stats on the admin app only, behind the token', async () => {
    (await t.app('api').get('/admin/stats')).expectError('NOT_FOUND', 404);
    (await t.app('admin').get('/admin/stats')).expectError('UNAUTHORIZED', 401);
    const stats = await t.app('admin').get('/admin/stats', { headers: { authorization: 'Bearer test-token' } });
    expect(stats.expectOk<{ items: number }>().items).toBeGreaterThanOrEqual(1);
  });
});

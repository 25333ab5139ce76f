// Runs against the PostgreSQL and Redis of lokstra.config.yaml (DATABASE_URL, REDIS_URL), in a schema of its own.
import 'reflect-metadata';
import { createTestApp, type TestApp } from 'lokstra/testing';
import { AppModule } from '../src/app.module.js';

describe('notes API', () => {
  let t: TestApp;
  beforeAll(async () => {
    process.env.DB_SCHEMA ??= `test_${process.pid}`;
    process.env.CACHE_PREFIX ??= `test:${process.pid}:`;
    process.env.LOG_LEVEL ??= 'warn';
    t = await createTestApp('lokstra.config.yaml', { modules: [AppModule] });
  });
  afterAll(async () => {
    await t?.handle.getService<{ exec(sql: string): Promise<unknown> }>('db').exec(`DROP SCHEMA IF EXISTS "${process.env.DB_SCHEMA}" CASCADE`);
    await t?.close();
  });

  it('creates a note, then reads it from the database and then from the cache', async () => {
    const created = (await t.request().post('/notes', { title: 'first', body: 'hello' })).expectOk<{ id: number }>(201);
    const miss = await t.request().get(`/notes/${created.id}`);
    expect(miss.expectOk()).toMatchObject({ id: created.id, title: 'first', body: 'hello' });
    expect(miss.headers['x-cache']).toBe('miss');
    expect((await t.request().get(`/notes/${created.id}`)).headers['x-cache']).toBe('hit');
    expect((await t.request().get('/notes')).expectOk<unknown[]>().length).toBeGreaterThanOrEqual(1);
  });

  it('rejects an invalid note with VALIDATION_ERROR', async () => {
    const env = (await t.request().post('/notes', { title: '' })).expectError('VALIDATION_ERROR', 400);
    expect(env.errors?.title).toBeDefined();
  });

  it('answers a missing note with NOT_FOUND', async () => {
    (await t.request().get('/notes/999999999')).expectError('NOT_FOUND', 404);
  });

  it('reports ready and exposes metrics', async () => {
    expect((await t.request().get('/health/ready')).statusCode).toBe(200);
    const metrics = await t.request().get('/metrics');
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain('http_requests_total');
  });
});

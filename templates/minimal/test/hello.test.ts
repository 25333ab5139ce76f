import 'reflect-metadata';
import { createTestApp, type TestApp } from 'lokstra/testing';
import { AppModule } from '../src/app.module.js';

describe('GET /hello', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('lokstra.config.yaml', { modules: [AppModule] });
  });
  afterAll(() => t.close());

  it('greets the world', async () => {
    expect((await t.request().get('/hello')).expectOk()).toEqual({ message: 'Hello, world!' });
  });

  it('greets by name', async () => {
    expect((await t.request().get('/hello/ada')).expectOk()).toEqual({ message: 'Hello, ada!' });
  });

  it('answers unknown paths with a NOT_FOUND envelope', async () => {
    (await t.request().get('/nope')).expectError('NOT_FOUND', 404);
  });
});

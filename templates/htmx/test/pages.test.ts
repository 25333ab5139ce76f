import 'reflect-metadata';
import { createTestApp, type TestApp } from 'lokstra/testing';
import { AppModule } from '../src/app.module.js';

describe('HTMX pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('lokstra.config.yaml', { modules: [AppModule] });
  });
  afterAll(() => t.close());

  it('renders the full page with its layout', async () => {
    const res = await t.request().get('/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<title>Tasks</title>');
    expect(res.body).toContain('Try the HTMX page');
  });

  it('answers a form post from HTMX with the new list item', async () => {
    const res = await t.request().post('/tasks', 'title=Write+tests', { headers: { 'content-type': 'application/x-www-form-urlencoded', 'hx-request': 'true' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/<li id="task-\d+" class=""><span>Write tests<\/span>/);
  });

  it('rejects an empty title with VALIDATION_ERROR', async () => {
    (await t.request().post('/tasks', { title: '' })).expectError('VALIDATION_ERROR', 400);
  });
});

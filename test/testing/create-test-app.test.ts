import { join } from 'node:path';
import { Context, Get, Module, Route, Service } from '../../src/index';
import { createTestApp, expectError, expectOk, EnvelopeAssertionError, type TestApp } from '../../src/testing/index';
import { UsersApiModule } from '../../samples/users-api/module';
import { UserRepository } from '../../samples/users-api/repositories';
import { captureLogger } from '../middleware/harness';

const ROOT = join(__dirname, '..', '..');

describe('createTestApp with the sample config (two apps)', () => {
  let t: TestApp;
  const log = captureLogger('info');
  beforeAll(async () => {
    delete process.env.PORT;
    delete process.env.ADMIN_PORT;
    delete process.env.ADMIN_TOKEN;
    t = await createTestApp(join(ROOT, 'lokstra.config.yaml'), { modules: [UsersApiModule], logger: log.logger });
  });
  afterAll(() => t.close());

  it('sends requests to the first app by default and returns typed data from expectOk', async () => {
    const user = (await t.request().get('/users/1')).expectOk<{ name: string }>(200);
    expect(user.name).toBe('Ada Lovelace');
    expect(t.request().name).toBe('api');
  });

  it('accepts one request directly on request(options)', async () => {
    const res = await t.request({ method: 'POST', url: '/users', body: { name: 'Grace Hopper', email: 'grace@example.com' } });
    expect(res.expectOk<{ id: number }>(201).id).toBeGreaterThan(0);
  });

  it('reaches a named app with its own inject', async () => {
    const stats = (await t.app('admin').get('/stats')).expectOk<{ users: number }>();
    expect(stats.users).toBeGreaterThanOrEqual(2);
    expect((await t.app('api').get('/stats')).statusCode).toBe(404);
  });

  it('asserts error envelopes by code and status', async () => {
    const env = (await t.request().get('/users/42')).expectError('NOT_FOUND', 404);
    expect(env.message).toMatch(/42/);
    const bad = await t.request().post('/users', { name: 'G', email: 'nope' });
    expect(expectError(bad, 'VALIDATION_ERROR', 400).errors?.email).toBeDefined();
  });

  it('fails expectOk on an error envelope, naming the request, status and body', async () => {
    const res = await t.request().get('/users/42');
    expect(() => res.expectOk()).toThrow(EnvelopeAssertionError);
    expect(() => expectOk(res)).toThrow(/GET \/users\/42 → 404 .*NOT_FOUND/);
  });

  it('fails expectError on the wrong code, the wrong status, or a success', async () => {
    const res = await t.request().get('/users/42');
    expect(() => res.expectError('FORBIDDEN')).toThrow(/expected error FORBIDDEN/);
    expect(() => res.expectError('NOT_FOUND', 400)).toThrow(/expected error NOT_FOUND \(400\)/);
    const ok = await t.request().get('/users/1');
    expect(() => ok.expectError('NOT_FOUND')).toThrow(EnvelopeAssertionError);
  });

  it('fails the envelope helpers on a body that is not an envelope', async () => {
    const res = await t.app('admin').request({ url: '/stats', headers: { accept: 'application/json' } });
    const fake = Object.assign(Object.create(Object.getPrototypeOf(res)), res, { body: '<html>' });
    expect(() => expectOk(fake)).toThrow(/expected a JSON envelope/);
  });

  it('names the apps when an unknown app is asked for', () => {
    expect(() => t.app('nope')).toThrow(/no app named 'nope'; apps: api, admin/);
  });

  it('exposes services of the built container', () => {
    expect(t.get(UserRepository)).toBeInstanceOf(UserRepository);
  });
});

describe('createTestApp with overrides and an object config', () => {
  @Service({ name: 'clock' })
  class Clock {
    now(): string {
      return 'real';
    }
  }

  @Route('/time')
  class TimeController {
    constructor(private readonly clock: Clock) {}

    @Get('/')
    now(ctx: Context) {
      return ctx.ok({ now: this.clock.now() });
    }
  }

  @Module({ controllers: [TimeController], services: [Clock] })
  class TimeModule {}

  it('replaces a service by class and closes idempotently', async () => {
    const t = await createTestApp({ apps: [{ name: 'api', address: ':0' }] }, { modules: [TimeModule], overrides: [[Clock, { now: () => 'fake' }]] });
    try {
      expect((await t.request().get('/time')).expectOk<{ now: string }>()).toEqual({ now: 'fake' });
      expect(t.handle.routes.map((r) => `${r.method} ${r.url}`)).toContain('GET /time');
    } finally {
      await t.close();
      await t.close();
    }
  });

  it('serves without overrides too', async () => {
    const t = await createTestApp({ apps: [{ name: 'api', address: ':0' }] }, { modules: [TimeModule] });
    expect((await t.request('/time')).expectOk()).toEqual({ now: 'real' });
    await t.close();
  });
});

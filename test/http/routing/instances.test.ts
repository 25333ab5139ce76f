import 'reflect-metadata';
import { Lokstra, LokstraError, Route, Get, Module, defineModule, Context } from '../../../src/index';
import { body, expectBootError, memoryLogger } from './harness';

const logger = memoryLogger();

@Route('/counter')
class InstanceCounterController {
  private count = 0;
  @Get('/') inc() { return ++this.count; }
}
@Module({ controllers: [InstanceCounterController] })
class InstanceCounterModule {}

describe('two Lokstra instances in one process', () => {
  it('each resolve their own handler registered under the same name', async () => {
    const one = new Lokstra({ modules: [defineModule({ name: 'm', handlers: { ping: (ctx: Context) => ctx.ok('one') } })], logger });
    const two = new Lokstra({ logger });
    two.registry.handler('ping', (ctx: Context) => ctx.ok('two'));
    one.app('api', ':0').get('/ping', 'ping');
    two.app('api', ':0').get('/ping', 'ping');
    const [h1, h2] = [await one.build({}), await two.build({})];
    try {
      expect(body(await h1.apps[0]!.inject({ method: 'GET', url: '/ping' })).data).toBe('one');
      expect(body(await h2.apps[0]!.inject({ method: 'GET', url: '/ping' })).data).toBe('two');
    } finally {
      await h1.close();
      await h2.close();
    }
  });

  it('each resolve their own middleware registered under the same name', async () => {
    const mark = (value: string) => defineModule({
      name: 'mark-module',
      middleware: { mark: () => async (_ctx: Context, next) => (await next()).withHeader('x-mark', value) },
      handlers: { x: () => 'x' },
    });
    const config = { apps: [{ name: 'api', address: ':0', middleware: ['mark'], routes: [{ method: 'GET' as const, path: '/x', handler: 'x' }] }] };
    const h1 = await Lokstra.build(config, { modules: [mark('one')], logger });
    const h2 = await Lokstra.build(config, { modules: [mark('two')], logger });
    try {
      expect((await h1.apps[0]!.inject({ method: 'GET', url: '/x' })).headers['x-mark']).toBe('one');
      expect((await h2.apps[0]!.inject({ method: 'GET', url: '/x' })).headers['x-mark']).toBe('two');
    } finally {
      await h1.close();
      await h2.close();
    }
  });

  it('does not show a controller mounted in one instance in the other', async () => {
    const h1 = await Lokstra.build({ apps: [{ name: 'api', address: ':0' }] }, { modules: [InstanceCounterModule], logger });
    const other = new Lokstra({ logger });
    other.app('api', ':0');
    const h2 = await other.build({});
    try {
      expect((await h1.apps[0]!.inject({ method: 'GET', url: '/counter' })).statusCode).toBe(200);
      expect((await h2.apps[0]!.inject({ method: 'GET', url: '/counter' })).statusCode).toBe(404);
      expect(h2.registry.controllers.has('InstanceCounterController')).toBe(false);
      expect(h2.routes).toHaveLength(0);
    } finally {
      await h1.close();
      await h2.close();
    }
  });

  it('does not resolve a controller name registered only in another instance', async () => {
    const h1 = await Lokstra.build({ apps: [{ name: 'api', address: ':0' }] }, { modules: [InstanceCounterModule], logger });
    try {
      await expectBootError(Lokstra.build({
        apps: [{ name: 'api', address: ':0', controllers: ['InstanceCounterController'] }],
      }, { logger }), 'LKS_ERR_ROUTE_CONTROLLER_NOT_FOUND');
    } finally {
      await h1.close();
    }
  });

  it('does not resolve a handler name registered only in another instance', async () => {
    const one = new Lokstra({ logger });
    one.registry.handler('only.in.one', () => 'one');
    one.app('api', ':0').get('/x', 'only.in.one');
    const h1 = await one.build({});
    try {
      const two = new Lokstra({ logger });
      two.app('api', ':0').get('/x', 'only.in.one');
      await expectBootError(two.build({}), 'LKS_ERR_ROUTE_HANDLER_NOT_FOUND');
    } finally {
      await h1.close();
    }
  });

  it('does not resolve a middleware name registered only in another instance', async () => {
    const one = new Lokstra({ logger });
    one.registry.middleware('only_in_one', () => async (_ctx: Context, next) => next());
    one.app('api', ':0').get('/x', () => 'x', 'only_in_one');
    const h1 = await one.build({});
    try {
      const two = new Lokstra({ logger });
      two.app('api', ':0').get('/x', () => 'x', 'only_in_one');
      await expectBootError(two.build({}), 'LKS_ERR_MIDDLEWARE_NOT_FOUND');
    } finally {
      await h1.close();
    }
  });

  it('gives each instance its own controller singleton', async () => {
    const h1 = await Lokstra.build({ apps: [{ name: 'api', address: ':0' }] }, { modules: [InstanceCounterModule], logger });
    const h2 = await Lokstra.build({ apps: [{ name: 'api', address: ':0' }] }, { modules: [InstanceCounterModule], logger });
    try {
      expect(body(await h1.apps[0]!.inject({ method: 'GET', url: '/counter' })).data).toBe(1);
      expect(body(await h1.apps[0]!.inject({ method: 'GET', url: '/counter' })).data).toBe(2);
      expect(body(await h2.apps[0]!.inject({ method: 'GET', url: '/counter' })).data).toBe(1);
    } finally {
      await h1.close();
      await h2.close();
    }
  });

  it('still rejects the same handler name registered twice in one instance', () => {
    const lk = new Lokstra({ logger });
    lk.registry.handler('twice', () => 'a');
    let caught: unknown;
    try {
      lk.registry.handler('twice', () => 'b');
    } catch (err) {
      caught = err;
    }
    expect(LokstraError.is(caught)).toBe(true);
    expect((caught as LokstraError).code).toBe('LKS_ERR_DI_DUPLICATE');
  });

  it('still rejects the same middleware name from two modules of one instance', () => {
    const a = defineModule({ name: 'mw-a', middleware: { same: () => async (_c: Context, n) => n() } });
    const b = defineModule({ name: 'mw-b', middleware: { same: () => async (_c: Context, n) => n() } });
    let caught: unknown;
    try {
      new Lokstra({ modules: [a, b], logger });
    } catch (err) {
      caught = err;
    }
    expect(LokstraError.is(caught)).toBe(true);
    expect((caught as LokstraError).code).toBe('LKS_ERR_DI_DUPLICATE');
  });
});

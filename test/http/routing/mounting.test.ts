import 'reflect-metadata';
import { Lokstra, Route, Get, Use, Module, defineModule, Context, type LokstraHandle } from '../../../src/index';
import { body, expectBootError, memoryLogger } from './harness';

const logger = memoryLogger();

@Route('/alpha')
class AlphaController {
  @Get('/') get() { return 'alpha'; }
}
@Route('/beta')
class BetaController {
  @Get('/') get() { return 'beta'; }
}
@Module({ controllers: [AlphaController, BetaController] })
class GreekModule {}

@Route('/gamma')
class GammaController {
  @Get('/') get() { return 'gamma'; }
}
@Module({ controllers: [GammaController] })
class GammaModule {}

const handlers = defineModule({ name: 'mount-handlers', handlers: { health: (ctx: Context) => ctx.ok('up') } });

async function status(h: LokstraHandle, url: string, app = 0): Promise<number> {
  return (await h.apps[app]!.inject({ method: 'GET', url })).statusCode;
}

describe('where controllers mount', () => {
  it('mounts every registered controller on a single app that lists no controllers and no routes', async () => {
    const h = await Lokstra.build({ apps: [{ name: 'api', address: ':0' }] }, { modules: [GreekModule, GammaModule], logger });
    try {
      for (const [url, data] of [['/alpha', 'alpha'], ['/beta', 'beta'], ['/gamma', 'gamma']]) {
        const res = await h.apps[0]!.inject({ method: 'GET', url: url! });
        expect(res.statusCode).toBe(200);
        expect(body(res).data).toBe(data);
      }
    } finally {
      await h.close();
    }
  });

  it('mounts every registered controller on a single code-declared app with nothing routed', async () => {
    const lk = new Lokstra({ modules: [GreekModule], logger });
    lk.app('api', ':0');
    const h = await lk.build({});
    try {
      expect(await status(h, '/alpha')).toBe(200);
      expect(await status(h, '/beta')).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('mounts no controller on a single app that declares routes', async () => {
    const h = await Lokstra.build({
      apps: [{ name: 'api', address: ':0', routes: [{ method: 'GET', path: '/health', handler: 'health' }] }],
    }, { modules: [GreekModule, handlers], logger });
    try {
      expect(await status(h, '/health')).toBe(200);
      expect(await status(h, '/alpha')).toBe(404);
      expect(await status(h, '/beta')).toBe(404);
    } finally {
      await h.close();
    }
  });

  it('mounts only the listed controllers on a single app that lists some', async () => {
    const h = await Lokstra.build({
      apps: [{ name: 'api', address: ':0', controllers: ['BetaController'] }],
    }, { modules: [GreekModule, GammaModule], logger });
    try {
      expect(await status(h, '/beta')).toBe(200);
      expect(await status(h, '/alpha')).toBe(404);
      expect(await status(h, '/gamma')).toBe(404);
    } finally {
      await h.close();
    }
  });

  it('mounts a controller only on the app that lists it when there are two apps', async () => {
    const h = await Lokstra.build({
      apps: [
        { name: 'public', address: ':0', controllers: ['AlphaController'] },
        { name: 'admin', address: '127.0.0.1:0', controllers: ['BetaController'] },
      ],
    }, { modules: [GreekModule], logger });
    try {
      expect(await status(h, '/alpha', 0)).toBe(200);
      expect(await status(h, '/beta', 0)).toBe(404);
      expect(await status(h, '/beta', 1)).toBe(200);
      expect(await status(h, '/alpha', 1)).toBe(404);
    } finally {
      await h.close();
    }
  });

  it('warns about a controller mounted on no app when there are several apps', async () => {
    const log = memoryLogger([]);
    const h = await Lokstra.build({
      apps: [
        { name: 'public', address: ':0', controllers: ['AlphaController'] },
        { name: 'admin', address: '127.0.0.1:0', routes: [{ method: 'GET', path: '/health', handler: 'health' }] },
      ],
    }, { modules: [GreekModule, handlers], logger: log });
    try {
      const warnings = log.lines.filter((l) => l.level === 'warn');
      expect(warnings.some((l) => l.message.includes('BetaController'))).toBe(true);
      expect(warnings.some((l) => l.message.includes('AlphaController'))).toBe(false);
      expect(await status(h, '/beta', 0)).toBe(404);
      expect(await status(h, '/beta', 1)).toBe(404);
    } finally {
      await h.close();
    }
  });

  it('mounts all controllers of a module listed by module name', async () => {
    const h = await Lokstra.build({
      apps: [
        { name: 'public', address: ':0', controllers: ['GreekModule'] },
        { name: 'other', address: '127.0.0.1:0', controllers: ['GammaModule'] },
      ],
    }, { modules: [GreekModule, GammaModule], logger });
    try {
      expect(await status(h, '/alpha', 0)).toBe(200);
      expect(await status(h, '/beta', 0)).toBe(200);
      expect(await status(h, '/gamma', 0)).toBe(404);
      expect(await status(h, '/gamma', 1)).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('mounts the controllers of a defineModule listed by its name', async () => {
    const shop = defineModule({ name: 'shop', controllers: [GammaController] });
    const h = await Lokstra.build({
      apps: [{ name: 'api', address: ':0', groups: [{ prefix: '/shop', controllers: ['shop'] }] }],
    }, { modules: [shop], logger });
    try {
      expect(await status(h, '/shop/gamma')).toBe(200);
      expect(await status(h, '/gamma')).toBe(404);
    } finally {
      await h.close();
    }
  });

  it('mounts a controller listed in a group under the group prefix', async () => {
    const h = await Lokstra.build({
      apps: [{ name: 'api', address: ':0', groups: [{ prefix: '/api/v1', controllers: ['AlphaController'] }] }],
    }, { modules: [GreekModule], logger });
    try {
      expect(await status(h, '/api/v1/alpha')).toBe(200);
      expect(await status(h, '/alpha')).toBe(404);
    } finally {
      await h.close();
    }
  });

  it('mounts a controller in code with app.mount(Controller, { prefix })', async () => {
    @Route('/items')
    class MountedItemsController {
      @Get('/') list() { return ['i']; }
      @Get('/:id') one(ctx: Context) { return ctx.params.id; }
    }
    const lk = new Lokstra({ logger });
    const app = lk.app('api', ':0');
    app.mount(MountedItemsController, { prefix: '/shop' });
    app.get('/health', (ctx: Context) => ctx.ok('up'));
    const h = await lk.build({});
    try {
      expect(body(await h.apps[0]!.inject({ method: 'GET', url: '/shop/items' })).data).toEqual(['i']);
      expect(body(await h.apps[0]!.inject({ method: 'GET', url: '/shop/items/3' })).data).toBe('3');
      expect(await status(h, '/items')).toBe(404);
    } finally {
      await h.close();
    }
  });

  it('mounts a controller class that no module registered, and a module class in code', async () => {
    @Route('/loose')
    class LooseController {
      @Get('/') get() { return 'loose'; }
    }
    const lk = new Lokstra({ logger });
    const app = lk.app('api', ':0');
    app.mount(LooseController);
    app.group('/m').mount(GreekModule);
    const h = await lk.build({});
    try {
      expect(await status(h, '/loose')).toBe(200);
      expect(await status(h, '/m/alpha')).toBe(200);
      expect(await status(h, '/m/beta')).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('mounts the same controller under two prefixes', async () => {
    const lk = new Lokstra({ modules: [GreekModule], logger });
    const app = lk.app('api', ':0');
    app.mount(AlphaController, { prefix: '/v1' });
    app.mount(AlphaController, { prefix: '/v2' });
    const h = await lk.build({});
    try {
      expect(await status(h, '/v1/alpha')).toBe(200);
      expect(await status(h, '/v2/alpha')).toBe(200);
      expect(await status(h, '/beta')).toBe(404);
    } finally {
      await h.close();
    }
  });

  it('applies mount middleware only to the mounted controller', async () => {
    const lk = new Lokstra({
      modules: [defineModule({ name: 'tagmw', middleware: { tag: () => async (_ctx: Context, next) => (await next()).withHeader('x-tag', 'mount') } })],
      logger,
    });
    const app = lk.app('api', ':0');
    app.mount(AlphaController, { middleware: ['tag'] });
    app.mount(BetaController);
    const h = await lk.build({});
    try {
      expect((await h.apps[0]!.inject({ method: 'GET', url: '/alpha' })).headers['x-tag']).toBe('mount');
      expect((await h.apps[0]!.inject({ method: 'GET', url: '/beta' })).headers['x-tag']).toBeUndefined();
    } finally {
      await h.close();
    }
  });

  it('keeps a controller @Use when mounted from YAML', async () => {
    @Use('stamp')
    @Route('/stamped')
    class StampedController {
      @Get('/') get() { return 'x'; }
    }
    const mod = defineModule({
      name: 'stamped', controllers: [StampedController],
      middleware: { stamp: () => async (_ctx: Context, next) => (await next()).withHeader('x-stamp', '1') },
    });
    const h = await Lokstra.build({ apps: [{ name: 'api', address: ':0', controllers: ['StampedController'] }] }, { modules: [mod], logger });
    try {
      const res = await h.apps[0]!.inject({ method: 'GET', url: '/stamped' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-stamp']).toBe('1');
    } finally {
      await h.close();
    }
  });
});

describe('mount boot errors', () => {
  it('fails boot with LKS_ERR_ROUTE_CONTROLLER_NOT_FOUND for an unknown controller name', async () => {
    await expectBootError(Lokstra.build({
      apps: [{ name: 'api', address: ':0', controllers: ['NoSuchController'] }],
    }, { modules: [GreekModule], logger }), 'LKS_ERR_ROUTE_CONTROLLER_NOT_FOUND');
  });

  it('fails boot with LKS_ERR_ROUTE_CONTROLLER_NOT_FOUND for an unknown controller in a nested group', async () => {
    await expectBootError(Lokstra.build({
      apps: [{ name: 'api', address: ':0', groups: [{ prefix: '/a', groups: [{ prefix: '/b', controllers: ['Ghost'] }] }] }],
    }, { modules: [GreekModule], logger }), 'LKS_ERR_ROUTE_CONTROLLER_NOT_FOUND');
  });

  it('fails boot with LKS_ERR_ROUTE_CONTROLLER_NOT_FOUND for an unknown name given to app.mount', async () => {
    const lk = new Lokstra({ modules: [GreekModule], logger });
    lk.app('api', ':0').mount('Nobody');
    await expectBootError(lk.build({}), 'LKS_ERR_ROUTE_CONTROLLER_NOT_FOUND');
  });

  it('fails boot with LKS_ERR_ROUTE_HANDLER_NOT_FOUND for an unknown YAML handler name', async () => {
    await expectBootError(Lokstra.build({
      apps: [{ name: 'api', address: ':0', routes: [{ method: 'GET', path: '/x', handler: 'no.such.handler' }] }],
    }, { modules: [handlers], logger }), 'LKS_ERR_ROUTE_HANDLER_NOT_FOUND');
  });

  it('fails boot with LKS_ERR_ROUTE_HANDLER_NOT_FOUND for an unknown handler name in a group', async () => {
    await expectBootError(Lokstra.build({
      apps: [{ name: 'api', address: ':0', groups: [{ prefix: '/g', routes: [{ method: 'POST', path: '/x', handler: 'ghost' }] }] }],
    }, { modules: [handlers], logger }), 'LKS_ERR_ROUTE_HANDLER_NOT_FOUND');
  });

  it('fails boot with LKS_ERR_ROUTE_HANDLER_NOT_FOUND for an unknown handler name in code', async () => {
    const lk = new Lokstra({ modules: [handlers], logger });
    lk.app('api', ':0').get('/x', 'ghost');
    await expectBootError(lk.build({}), 'LKS_ERR_ROUTE_HANDLER_NOT_FOUND');
  });
});

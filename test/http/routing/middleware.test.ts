import 'reflect-metadata';
import { IsString, MinLength } from 'class-validator';
import {
  Lokstra, Route, Get, Post, Body, Use, Module, defineModule, HttpError, Context, type MiddlewareFn, type LokstraHandle,
} from '../../../src/index';
import { body, expectBootError, inlineRecorder, memoryLogger, recorder, trailHandler, trailOf } from './harness';

const logger = memoryLogger();

/** Named recording middleware for every level, plus a configurable `tagger`. */
const recorders = defineModule({
  name: 'recorders',
  middleware: {
    mw_app: recorder('app'),
    mw_app2: recorder('app2'),
    mw_group: recorder('group'),
    mw_group2: recorder('group2'),
    mw_mount: recorder('mount'),
    mw_ctl: recorder('controller'),
    mw_method: recorder('method'),
    mw_route: recorder('route'),
    tagger: recorder('tagger'),
  },
  handlers: { trail: trailHandler },
});

async function trail(h: LokstraHandle, url: string, app = 0): Promise<string[]> {
  const res = await h.apps[app]!.inject({ method: 'GET', url });
  expect(res.statusCode).toBe(200);
  return body(res).data as string[];
}

describe('middleware order across levels', () => {
  @Use('mw_ctl')
  @Route('/orders')
  class OrderTrailController {
    @Use('mw_method') @Get('/') list(ctx: Context) { return trailOf(ctx); }
    @Get('/plain') plain(ctx: Context) { return trailOf(ctx); }
  }
  @Module({ controllers: [OrderTrailController] })
  class OrderTrailModule {}

  let h: LokstraHandle;
  beforeAll(async () => {
    h = await Lokstra.build({
      apps: [{
        name: 'api', address: ':0',
        middleware: ['mw_app'],
        routes: [{ method: 'GET', path: '/root', handler: 'trail', middleware: ['mw_route'] }],
        groups: [{
          prefix: '/v1',
          middleware: ['mw_group'],
          controllers: ['OrderTrailController'],
          routes: [{ method: 'GET', path: '/r', handler: 'trail', middleware: ['mw_route'] }],
          groups: [{ prefix: '/inner', middleware: ['mw_group2'], routes: [{ method: 'GET', path: '/r', handler: 'trail', middleware: ['mw_route'] }] }],
        }],
      }],
    }, { modules: [recorders, OrderTrailModule], logger });
  });
  afterAll(async () => h.close());

  it('runs app → group → controller @Use → method @Use for a controller route', async () => {
    expect(await trail(h, '/v1/orders')).toEqual(['app', 'group', 'controller', 'method']);
  });

  it('runs only the class-level @Use on a method without its own @Use', async () => {
    expect(await trail(h, '/v1/orders/plain')).toEqual(['app', 'group', 'controller']);
  });

  it('runs app → group → route middleware for a YAML route', async () => {
    expect(await trail(h, '/v1/r')).toEqual(['app', 'group', 'route']);
  });

  it('runs outer group before inner group middleware', async () => {
    expect(await trail(h, '/v1/inner/r')).toEqual(['app', 'group', 'group2', 'route']);
  });

  it('runs app middleware before route middleware at the root', async () => {
    expect(await trail(h, '/root')).toEqual(['app', 'route']);
  });
});

describe('middleware order in code-declared apps', () => {
  it('runs app.use → group → mount middleware → controller → method → in declaration order', async () => {
    @Use('mw_ctl')
    @Route('/c')
    class CodeTrailController {
      @Use('mw_method') @Get('/') get(ctx: Context) { return trailOf(ctx); }
    }
    const lk = new Lokstra({ modules: [recorders], logger });
    const app = lk.app('api', ':0');
    app.use('mw_app');
    const g = app.group('/v1', 'mw_group');
    g.mount(CodeTrailController, { prefix: '/m', middleware: ['mw_mount'] });
    g.get('/r', trailHandler, 'mw_route');
    app.use('mw_app2'); // covers routes declared before the call
    const h = await lk.build({});
    try {
      expect(await trail(h, '/v1/m/c')).toEqual(['app', 'app2', 'group', 'mount', 'controller', 'method']);
      expect(await trail(h, '/v1/r')).toEqual(['app', 'app2', 'group', 'route']);
    } finally {
      await h.close();
    }
  });
});

describe('override_middleware', () => {
  @Use('mw_ctl')
  @Route('/ctl')
  class OverrideTrailController {
    @Get('/') get(ctx: Context) { return trailOf(ctx); }
  }
  @Module({ controllers: [OverrideTrailController] })
  class OverrideTrailModule {}

  let h: LokstraHandle;
  beforeAll(async () => {
    h = await Lokstra.build({
      apps: [{
        name: 'api', address: ':0',
        middleware: ['mw_app'],
        routes: [
          { method: 'GET', path: '/kept', handler: 'trail', middleware: ['mw_route'] },
          { method: 'GET', path: '/dropped', handler: 'trail', middleware: ['mw_route'], override_middleware: true },
        ],
        groups: [
          {
            prefix: '/public', middleware: ['mw_group'], override_middleware: true,
            controllers: ['OverrideTrailController'],
            routes: [{ method: 'GET', path: '/r', handler: 'trail', middleware: ['mw_route'] }],
            groups: [{ prefix: '/deep', middleware: ['mw_group2'], routes: [{ method: 'GET', path: '/r', handler: 'trail' }] }],
          },
          {
            prefix: '/private', middleware: ['mw_group'],
            routes: [{ method: 'GET', path: '/solo', handler: 'trail', middleware: ['mw_route'], override_middleware: true }],
          },
        ],
      }],
    }, { modules: [recorders, OverrideTrailModule], logger });
  });
  afterAll(async () => h.close());

  it('keeps inherited middleware without override', async () => {
    expect(await trail(h, '/kept')).toEqual(['app', 'route']);
  });

  it('drops app middleware for a route with override_middleware: true', async () => {
    expect(await trail(h, '/dropped')).toEqual(['route']);
  });

  it('drops app and group middleware for a route in a group', async () => {
    expect(await trail(h, '/private/solo')).toEqual(['route']);
  });

  it('drops app middleware for the routes of a group with override_middleware: true', async () => {
    expect(await trail(h, '/public/r')).toEqual(['group', 'route']);
  });

  it('keeps the overriding group’s middleware for its nested groups', async () => {
    expect(await trail(h, '/public/deep/r')).toEqual(['group', 'group2']);
  });

  it('keeps controller @Use on a controller mounted in an overriding group', async () => {
    expect(await trail(h, '/public/ctl')).toEqual(['group', 'controller']);
  });

  it('drops inherited middleware for a code group with overrideMiddleware()', async () => {
    const lk = new Lokstra({ modules: [recorders], logger });
    const app = lk.app('api', ':0');
    app.use('mw_app');
    app.group('/open', 'mw_group').overrideMiddleware().get('/x', trailHandler);
    app.get('/closed', trailHandler);
    const h2 = await lk.build({});
    try {
      expect(await trail(h2, '/open/x')).toEqual(['group']);
      expect(await trail(h2, '/closed')).toEqual(['app']);
    } finally {
      await h2.close();
    }
  });
});

describe('same named middleware at several levels', () => {
  @Use({ name: 'tagger', config: { tag: 'controller' } })
  @Route('/tagged')
  class TaggedController {
    @Use({ name: 'tagger', config: { tag: 'method' } }) @Get('/m') m(ctx: Context) { return trailOf(ctx); }
    @Get('/c') c(ctx: Context) { return trailOf(ctx); }
  }
  @Module({ controllers: [TaggedController] })
  class TaggedModule {}

  let h: LokstraHandle;
  beforeAll(async () => {
    h = await Lokstra.build({
      apps: [{
        name: 'api', address: ':0',
        middleware: [{ name: 'tagger', config: { tag: 'app' } }],
        controllers: ['TaggedController'],
        routes: [
          { method: 'GET', path: '/app-only', handler: 'trail' },
          { method: 'GET', path: '/route', handler: 'trail', middleware: [{ name: 'tagger', config: { tag: 'route' } }] },
        ],
        groups: [{
          prefix: '/g', middleware: [{ name: 'tagger', config: { tag: 'group' } }],
          routes: [
            { method: 'GET', path: '/r', handler: 'trail' },
            { method: 'GET', path: '/route', handler: 'trail', middleware: [{ name: 'tagger', config: { tag: 'route' } }] },
          ],
        }],
      }],
    }, { modules: [recorders, TaggedModule], logger });
  });
  afterAll(async () => h.close());

  it('runs the app-level one when nothing inner repeats it', async () => {
    expect(await trail(h, '/app-only')).toEqual(['app']);
  });

  it('runs once with the route config (app + route)', async () => {
    expect(await trail(h, '/route')).toEqual(['route']);
  });

  it('runs once with the group config (app + group)', async () => {
    expect(await trail(h, '/g/r')).toEqual(['group']);
  });

  it('runs once with the innermost of three levels (app + group + route)', async () => {
    expect(await trail(h, '/g/route')).toEqual(['route']);
  });

  it('runs once with the method @Use config (app + controller + method)', async () => {
    expect(await trail(h, '/tagged/m')).toEqual(['method']);
  });

  it('runs once with the controller @Use config (app + controller)', async () => {
    expect(await trail(h, '/tagged/c')).toEqual(['controller']);
  });
});

describe('middleware priority', () => {
  it('orders by registry priority (lower runs outer) regardless of level', async () => {
    const lk = new Lokstra({ modules: [recorders], logger });
    lk.registry.middleware('late', recorder('late'), { priority: 80 });
    lk.registry.middleware('early', recorder('early'), { priority: 10 });
    const app = lk.app('api', ':0');
    app.use('late', 'mw_app');
    app.get('/p', trailHandler, 'early', 'mw_route');
    const h = await lk.build({});
    try {
      expect(await trail(h, '/p')).toEqual(['early', 'app', 'route', 'late']);
    } finally {
      await h.close();
    }
  });

  it('runs inline functions (priority 100) inside named middleware (priority 50)', async () => {
    const lk = new Lokstra({ modules: [recorders], logger });
    const app = lk.app('api', ':0');
    app.use(inlineRecorder('inline-app'));
    app.get('/p', trailHandler, 'mw_route', inlineRecorder('inline-route'));
    const h = await lk.build({});
    try {
      expect(await trail(h, '/p')).toEqual(['route', 'inline-app', 'inline-route']);
    } finally {
      await h.close();
    }
  });

  it('keeps declaration order between middleware of equal priority', async () => {
    const lk = new Lokstra({ modules: [recorders], logger });
    lk.registry.middleware('p20a', recorder('a'), { priority: 20 });
    lk.registry.middleware('p20b', recorder('b'), { priority: 20 });
    lk.registry.middleware('p20c', recorder('c'), { priority: 20 });
    const app = lk.app('api', ':0');
    app.use('p20b');
    app.group('/g', 'p20c').get('/p', trailHandler, 'p20a');
    const h = await lk.build({});
    try {
      expect(await trail(h, '/g/p')).toEqual(['b', 'c', 'a']);
    } finally {
      await h.close();
    }
  });
});

describe('middleware contract', () => {
  it('short-circuits: a middleware that returns without next() skips the handler', async () => {
    let handlerCalls = 0;
    const guard = defineModule({
      name: 'guard',
      middleware: {
        auth: () => async (ctx: Context, next) => (ctx.headers['x-key'] === 'ok' ? next() : ctx.errorUnauthorized('no')),
      },
    });
    const lk = new Lokstra({ modules: [guard], logger });
    lk.app('api', ':0').get('/secret', (ctx: Context) => { handlerCalls++; return ctx.ok('in'); }, 'auth');
    const h = await lk.build({});
    try {
      const denied = await h.apps[0]!.inject({ method: 'GET', url: '/secret' });
      expect(denied.statusCode).toBe(401);
      expect(body(denied)).toMatchObject({ code: 'UNAUTHORIZED', success: false });
      expect(handlerCalls).toBe(0);
      const allowed = await h.apps[0]!.inject({ method: 'GET', url: '/secret', headers: { 'x-key': 'ok' } });
      expect(allowed.statusCode).toBe(200);
      expect(handlerCalls).toBe(1);
    } finally {
      await h.close();
    }
  });

  it('runs middleware before binding, so a guard answers before validation and sees validation errors', async () => {
    class CreateNoteDto {
      @IsString() @MinLength(3) title!: string;
    }
    const seen: string[] = [];
    @Use('guard_note')
    @Route('/notes')
    class GuardedNoteController {
      @Post('/') create(@Body() dto: CreateNoteDto, ctx: Context) { return ctx.okCreated(dto.title); }
    }
    const mod = defineModule({
      name: 'guard-note', controllers: [GuardedNoteController],
      middleware: {
        guard_note: () => async (ctx: Context, next) => {
          if (ctx.headers.authorization !== 'Bearer t') return ctx.errorUnauthorized('no');
          try {
            return await next();
          } catch (err) {
            seen.push(HttpError.is(err) ? err.code : 'other');
            throw err;
          }
        },
      },
    });
    const h = await Lokstra.build({ apps: [{ name: 'api', address: ':0' }] }, { modules: [mod], logger });
    try {
      const anon = await h.apps[0]!.inject({ method: 'POST', url: '/notes', payload: { title: 'x' } });
      expect(anon.statusCode).toBe(401);
      expect(body(anon).code).toBe('UNAUTHORIZED');
      const invalid = await h.apps[0]!.inject({ method: 'POST', url: '/notes', payload: { title: 'x' }, headers: { authorization: 'Bearer t' } });
      expect(invalid.statusCode).toBe(400);
      expect(body(invalid).code).toBe('VALIDATION_ERROR');
      expect(seen).toEqual(['VALIDATION_ERROR']);
      const valid = await h.apps[0]!.inject({ method: 'POST', url: '/notes', payload: { title: 'xyz' }, headers: { authorization: 'Bearer t' } });
      expect(valid.statusCode).toBe(201);
      expect(body(valid).data).toBe('xyz');
    } finally {
      await h.close();
    }
  });

  it('gives next() the Response, which the middleware may modify', async () => {
    const stamp = defineModule({
      name: 'stamp',
      middleware: {
        stamp: (config) => async (_ctx: Context, next) => {
          const res = await next();
          expect(res.status).toBe(201);
          return res.withHeader('x-stamp', String(config.value)).withMeta({ stamped: true });
        },
      },
      handlers: { make: (ctx: Context) => ctx.okCreated({ id: 1 }) },
    });
    const h = await Lokstra.build({
      apps: [{ name: 'api', address: ':0', middleware: [{ name: 'stamp', config: { value: 'v1' } }], routes: [{ method: 'POST', path: '/make', handler: 'make' }] }],
    }, { modules: [stamp], logger });
    try {
      const res = await h.apps[0]!.inject({ method: 'POST', url: '/make' });
      expect(res.statusCode).toBe(201);
      expect(res.headers['x-stamp']).toBe('v1');
      expect(body(res)).toMatchObject({ code: 'CREATED', data: { id: 1 }, meta: { stamped: true } });
    } finally {
      await h.close();
    }
  });

  it('lets a middleware replace the Response returned by next()', async () => {
    const lk = new Lokstra({ logger });
    const replace: MiddlewareFn = async (ctx: Context, next) => {
      const res = await next();
      return ctx.ok({ wrapped: res.data });
    };
    lk.app('api', ':0').get('/w', (ctx: Context) => ctx.ok('inner'), replace);
    const h = await lk.build({});
    try {
      expect(body(await h.apps[0]!.inject({ method: 'GET', url: '/w' })).data).toEqual({ wrapped: 'inner' });
    } finally {
      await h.close();
    }
  });

  it('propagates a handler error to middleware, which can map it to a response', async () => {
    class OutOfStock extends Error {}
    const mapper = defineModule({
      name: 'mapper',
      middleware: {
        map_errors: () => async (ctx: Context, next) => {
          try {
            return await next();
          } catch (err) {
            if (err instanceof OutOfStock) return ctx.errorConflict('out of stock');
            throw err;
          }
        },
      },
    });
    const lk = new Lokstra({ modules: [mapper], logger });
    const app = lk.app('api', ':0');
    app.use('map_errors');
    app.get('/sync', () => { throw new OutOfStock('sync'); });
    app.get('/async', async () => { await Promise.resolve(); throw new OutOfStock('async'); });
    app.get('/other', () => { throw new Error('boom'); });
    app.get('/http', () => { throw HttpError.forbidden('nope'); });
    const h = await lk.build({});
    try {
      for (const url of ['/sync', '/async']) {
        const res = await h.apps[0]!.inject({ method: 'GET', url });
        expect(res.statusCode).toBe(409);
        expect(body(res)).toMatchObject({ code: 'CONFLICT', success: false });
      }
      const other = await h.apps[0]!.inject({ method: 'GET', url: '/other' });
      expect(other.statusCode).toBe(500);
      expect(body(other).code).toBe('INTERNAL_ERROR');
      const http = await h.apps[0]!.inject({ method: 'GET', url: '/http' });
      expect(http.statusCode).toBe(403);
      expect(body(http).code).toBe('FORBIDDEN');
    } finally {
      await h.close();
    }
  });

  it('propagates an error from an inner middleware to an outer one', async () => {
    const lk = new Lokstra({ logger });
    const outer: MiddlewareFn = async (ctx: Context, next) => {
      try {
        return await next();
      } catch (err) {
        return ctx.errorNotFound('mapped').withHeader('x-caught', HttpError.is(err) ? String(err.status) : 'other');
      }
    };
    const inner: MiddlewareFn = async () => { throw HttpError.forbidden('inner'); };
    let handlerCalls = 0;
    lk.app('api', ':0').get('/x', () => { handlerCalls++; return 'x'; }, outer, inner);
    const h = await lk.build({});
    try {
      const res = await h.apps[0]!.inject({ method: 'GET', url: '/x' });
      expect(res.statusCode).toBe(404);
      expect(res.headers['x-caught']).toBe('403');
      expect(body(res).code).toBe('NOT_FOUND');
      expect(handlerCalls).toBe(0);
    } finally {
      await h.close();
    }
  });

  it('lets middleware see controller errors and observe the status of thrown HttpErrors', async () => {
    @Route('/fail')
    class FailingController {
      @Get('/') fail() { throw HttpError.conflict('taken'); }
    }
    const seen: number[] = [];
    const lk = new Lokstra({ logger });
    const app = lk.app('api', ':0');
    app.use(async (_ctx: Context, next: () => Promise<unknown>) => {
      try {
        return await next();
      } catch (err) {
        seen.push(HttpError.is(err) ? err.status : -1);
        throw err;
      }
    });
    app.mount(FailingController);
    const h = await lk.build({});
    try {
      const res = await h.apps[0]!.inject({ method: 'GET', url: '/fail' });
      expect(res.statusCode).toBe(409);
      expect(body(res).code).toBe('CONFLICT');
      expect(seen).toEqual([409]);
    } finally {
      await h.close();
    }
  });

  it('skips a middleware reference with enabled: false', async () => {
    let blockerCalls = 0;
    const blocker = defineModule({
      name: 'blocker',
      middleware: { blocker: () => async (ctx: Context) => { blockerCalls++; return ctx.errorForbidden('blocked'); } },
      handlers: { open: (ctx: Context) => ctx.ok('open') },
    });
    const h = await Lokstra.build({
      apps: [{
        name: 'api', address: ':0',
        middleware: [{ name: 'blocker', config: { reason: 'x' }, enabled: false }],
        routes: [
          { method: 'GET', path: '/open', handler: 'open' },
          { method: 'GET', path: '/closed', handler: 'open', middleware: [{ name: 'blocker', enabled: true }] },
        ],
      }],
    }, { modules: [blocker], logger });
    try {
      const open = await h.apps[0]!.inject({ method: 'GET', url: '/open' });
      expect(open.statusCode).toBe(200);
      expect(body(open).data).toBe('open');
      expect(blockerCalls).toBe(0);
      const closed = await h.apps[0]!.inject({ method: 'GET', url: '/closed' });
      expect(closed.statusCode).toBe(403);
      expect(blockerCalls).toBe(1);
    } finally {
      await h.close();
    }
  });

  it('calls a middleware factory once at boot with its YAML config', async () => {
    const configs: Record<string, unknown>[] = [];
    const mod = defineModule({
      name: 'cfg',
      middleware: { cfg: (config) => { configs.push(config); return async (_ctx: Context, next) => next(); } },
      handlers: { x: () => 'x' },
    });
    const h = await Lokstra.build({
      apps: [{ name: 'api', address: ':0', middleware: [{ name: 'cfg', config: { limit: 3, tags: ['a'] } }], routes: [{ method: 'GET', path: '/x', handler: 'x' }] }],
    }, { modules: [mod], logger });
    try {
      // Chains are flattened at boot: the factory ran during build, not per request.
      expect(configs).toEqual([{ limit: 3, tags: ['a'] }]);
      expect((await h.apps[0]!.inject({ method: 'GET', url: '/x' })).statusCode).toBe(200);
      expect((await h.apps[0]!.inject({ method: 'GET', url: '/x' })).statusCode).toBe(200);
      expect(configs).toHaveLength(1);
    } finally {
      await h.close();
    }
  });
});

describe('middleware boot errors', () => {
  const handlers = defineModule({ name: 'mw-boot', handlers: { x: () => 'x' } });

  it('fails boot with LKS_ERR_MIDDLEWARE_NOT_FOUND for an unknown app middleware', async () => {
    await expectBootError(Lokstra.build({
      apps: [{ name: 'api', address: ':0', middleware: ['nope'], routes: [{ method: 'GET', path: '/x', handler: 'x' }] }],
    }, { modules: [handlers], logger }), 'LKS_ERR_MIDDLEWARE_NOT_FOUND');
  });

  it('fails boot with LKS_ERR_MIDDLEWARE_NOT_FOUND for an unknown route middleware', async () => {
    await expectBootError(Lokstra.build({
      apps: [{ name: 'api', address: ':0', routes: [{ method: 'GET', path: '/x', handler: 'x', middleware: [{ name: 'nope', config: {} }] }] }],
    }, { modules: [handlers], logger }), 'LKS_ERR_MIDDLEWARE_NOT_FOUND');
  });

  it('fails boot with LKS_ERR_MIDDLEWARE_NOT_FOUND for an unknown controller @Use', async () => {
    @Use('nope_ctl')
    @Route('/u')
    class UnknownUseController {
      @Get('/') get() { return 'x'; }
    }
    const lk = new Lokstra({ logger });
    lk.app('api', ':0').mount(UnknownUseController);
    await expectBootError(lk.build({}), 'LKS_ERR_MIDDLEWARE_NOT_FOUND');
  });

  it('fails boot with LKS_ERR_MIDDLEWARE_NOT_FOUND for an unknown group middleware even when the group has no routes yet', async () => {
    await expectBootError(Lokstra.build({
      apps: [{
        name: 'api', address: ':0',
        routes: [{ method: 'GET', path: '/x', handler: 'x' }],
        groups: [{ prefix: '/empty', middleware: ['nope'] }],
      }],
    }, { modules: [handlers], logger }), 'LKS_ERR_MIDDLEWARE_NOT_FOUND');
  });
});

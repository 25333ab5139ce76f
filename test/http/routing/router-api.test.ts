import 'reflect-metadata';
import { IsInt, Min } from 'class-validator';
import {
  Lokstra, Route, Get, Post, Put, Delete, Head, Path, Query, Handler, Module, defineModule, bind, Context,
} from '../../../src/index';
import { body, memoryLogger, recorder } from './harness';

const logger = memoryLogger();

describe('Router API (code-declared apps)', () => {
  it('routes every verb helper to its handler', async () => {
    const lk = new Lokstra({ logger });
    const app = lk.app('api', ':0');
    app.get('/v', (ctx: Context) => ctx.ok('get'));
    app.post('/v', (ctx: Context) => ctx.okCreated('post'));
    app.put('/v', (ctx: Context) => ctx.ok('put'));
    app.patch('/v', (ctx: Context) => ctx.okUpdated('patch'));
    app.delete('/v', (ctx: Context) => ctx.ok('delete'));
    app.head('/v', (ctx: Context) => ctx.okNoContent().withHeader('x-verb', 'head'));
    app.options('/v', (ctx: Context) => ctx.ok('options'));
    const h = await lk.build({});
    const api = h.apps[0]!;
    try {
      const get = await api.inject({ method: 'GET', url: '/v' });
      expect(get.statusCode).toBe(200);
      expect(body(get)).toMatchObject({ code: 'OK', success: true, data: 'get' });
      const post = await api.inject({ method: 'POST', url: '/v' });
      expect(post.statusCode).toBe(201);
      expect(body(post)).toMatchObject({ code: 'CREATED', data: 'post' });
      expect(body(await api.inject({ method: 'PUT', url: '/v' })).data).toBe('put');
      const patch = await api.inject({ method: 'PATCH', url: '/v' });
      expect(body(patch)).toMatchObject({ code: 'UPDATED', data: 'patch' });
      expect(body(await api.inject({ method: 'DELETE', url: '/v' })).data).toBe('delete');
      const head = await api.inject({ method: 'HEAD', url: '/v' });
      expect(head.headers['x-verb']).toBe('head');
      const options = await api.inject({ method: 'OPTIONS', url: '/v' });
      expect(options.statusCode).toBe(200);
      expect(body(options).data).toBe('options');
    } finally {
      await h.close();
    }
  });

  it('routes every method to an all() handler', async () => {
    const lk = new Lokstra({ logger });
    lk.app('api', ':0').all('/any', (ctx: Context) => ctx.ok(ctx.req.method));
    const h = await lk.build({});
    try {
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const) {
        const res = await h.apps[0]!.inject({ method, url: '/any' });
        expect(res.statusCode).toBe(200);
        expect(body(res).data).toBe(method);
      }
      // Over a real socket: inject() (light-my-request 6.6, pinned for Node 20) keeps HEAD bodies.
      await h.listen();
      const head = await fetch(`${h.apps[0]!.url}/any`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
    } finally {
      await h.close();
    }
  });

  it('routes handle(method, …) with upper- or lower-case methods', async () => {
    const lk = new Lokstra({ logger });
    const app = lk.app('api', ':0');
    app.handle('PUT', '/h', (ctx: Context) => ctx.ok('PUT'));
    app.handle('get', '/h', (ctx: Context) => ctx.ok('get'));
    const h = await lk.build({});
    try {
      expect(body(await h.apps[0]!.inject({ method: 'PUT', url: '/h' })).data).toBe('PUT');
      expect(body(await h.apps[0]!.inject({ method: 'GET', url: '/h' })).data).toBe('get');
    } finally {
      await h.close();
    }
  });

  it('joins the prefixes of three nested groups', async () => {
    const lk = new Lokstra({ logger });
    const app = lk.app('api', ':0');
    const a = app.group('/a');
    const b = a.group('b/');
    const c = b.group('/c/');
    c.get('/d', (ctx: Context) => ctx.ok('deep'));
    b.get('/', (ctx: Context) => ctx.ok('b-root'));
    a.get('x', (ctx: Context) => ctx.ok('ax'));
    const h = await lk.build({});
    try {
      expect(body(await h.apps[0]!.inject({ method: 'GET', url: '/a/b/c/d' })).data).toBe('deep');
      expect(body(await h.apps[0]!.inject({ method: 'GET', url: '/a/b' })).data).toBe('b-root');
      expect(body(await h.apps[0]!.inject({ method: 'GET', url: '/a/x' })).data).toBe('ax');
      expect((await h.apps[0]!.inject({ method: 'GET', url: '/d' })).statusCode).toBe(404);
      expect((await h.apps[0]!.inject({ method: 'GET', url: '/c/d' })).statusCode).toBe(404);
    } finally {
      await h.close();
    }
  });

  it('joins nested YAML groups and their routes', async () => {
    const mod = defineModule({ name: 'yaml-groups', handlers: { deep: (ctx: Context) => ctx.ok('deep') } });
    const h = await Lokstra.build({
      apps: [{
        name: 'api', address: ':0',
        groups: [{ prefix: '/api', groups: [{ prefix: '/v1/', groups: [{ prefix: '/admin', routes: [{ method: 'GET', path: '/stats', handler: 'deep' }] }] }] }],
      }],
    }, { modules: [mod], logger });
    try {
      const res = await h.apps[0]!.inject({ method: 'GET', url: '/api/v1/admin/stats' });
      expect(res.statusCode).toBe(200);
      expect(body(res).data).toBe('deep');
    } finally {
      await h.close();
    }
  });
});

describe('Controller paths', () => {
  @Route('/users')
  class JoinUserController {
    @Get('/') list() { return ['all']; }
    @Post('/') create(ctx: Context) { return ctx.okCreated('made'); }
    @Get(':id') one(@Path('id') id: string) { return { id }; }
    @Get('/{id}/posts/{postId}') posts(@Path('id') id: string, @Path('postId') postId: string) { return { id, postId }; }
  }
  @Route()
  class JoinRootController {
    @Get() root() { return 'root'; }
  }
  @Module({ controllers: [JoinUserController, JoinRootController] })
  class JoinModule {}

  let h: Awaited<ReturnType<typeof Lokstra.build>>;
  beforeAll(async () => {
    h = await Lokstra.build({ apps: [{ name: 'api', address: ':0' }] }, { modules: [JoinModule], logger });
  });
  afterAll(async () => h.close());

  it('joins @Route("/users") and @Post("/") into POST /users', async () => {
    const res = await h.apps[0]!.inject({ method: 'POST', url: '/users' });
    expect(res.statusCode).toBe(201);
    expect(body(res)).toMatchObject({ code: 'CREATED', data: 'made' });
  });

  it('joins @Route("/users") and @Get("/") into GET /users', async () => {
    const res = await h.apps[0]!.inject({ method: 'GET', url: '/users' });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toEqual(['all']);
  });

  it('joins a path without a leading slash (@Get(":id"))', async () => {
    const res = await h.apps[0]!.inject({ method: 'GET', url: '/users/7' });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toEqual({ id: '7' });
  });

  it('ignores a trailing slash by default', async () => {
    const list = await h.apps[0]!.inject({ method: 'GET', url: '/users/' });
    expect(list.statusCode).toBe(200);
    expect(body(list).data).toEqual(['all']);
    const one = await h.apps[0]!.inject({ method: 'GET', url: '/users/7/' });
    expect(one.statusCode).toBe(200);
    expect(body(one).data).toEqual({ id: '7' });
  });

  it('translates Go-style {param} segments', async () => {
    const res = await h.apps[0]!.inject({ method: 'GET', url: '/users/3/posts/9' });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toEqual({ id: '3', postId: '9' });
  });

  it('serves a controller without prefix at /', async () => {
    const res = await h.apps[0]!.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toBe('root');
  });
});

describe('Path syntax in code routes', () => {
  it('translates {id} in a code route and exposes it as ctx.params.id', async () => {
    const lk = new Lokstra({ logger });
    lk.app('api', ':0').group('/items').get('/{id}', (ctx: Context) => ctx.ok(ctx.params.id));
    const h = await lk.build({});
    try {
      const res = await h.apps[0]!.inject({ method: 'GET', url: '/items/42' });
      expect(res.statusCode).toBe(200);
      expect(body(res).data).toBe('42');
    } finally {
      await h.close();
    }
  });

  it('accepts Fastify regex params and wildcards', async () => {
    const lk = new Lokstra({ logger });
    const app = lk.app('api', ':0');
    app.get('/n/:id(^\\d+$)', (ctx: Context) => ctx.ok(ctx.params.id));
    app.get('/files/*', (ctx: Context) => ctx.ok(ctx.params['*']));
    const h = await lk.build({});
    try {
      expect(body(await h.apps[0]!.inject({ method: 'GET', url: '/n/12' })).data).toBe('12');
      expect((await h.apps[0]!.inject({ method: 'GET', url: '/n/ab' })).statusCode).toBe(404);
      expect(body(await h.apps[0]!.inject({ method: 'GET', url: '/files/a/b.txt' })).data).toBe('a/b.txt');
    } finally {
      await h.close();
    }
  });

  it('translates a Go-style *name wildcard', async () => {
    const lk = new Lokstra({ logger });
    lk.app('api', ':0').get('/assets/*path', (ctx: Context) => ctx.ok('wild'));
    const h = await lk.build({});
    try {
      const res = await h.apps[0]!.inject({ method: 'GET', url: '/assets/css/site.css' });
      expect(res.statusCode).toBe(200);
      expect(body(res).data).toBe('wild');
    } finally {
      await h.close();
    }
  });

  it('serves /x/ as 404 when ignore_trailing_slash is false', async () => {
    const mod = defineModule({ name: 'strict-slash', handlers: { x: (ctx: Context) => ctx.ok('x') } });
    const h = await Lokstra.build({
      server: { global_setting: { ignore_trailing_slash: false } },
      apps: [{ name: 'api', address: ':0', routes: [{ method: 'GET', path: '/x', handler: 'x' }] }],
    }, { modules: [mod], logger });
    try {
      expect((await h.apps[0]!.inject({ method: 'GET', url: '/x' })).statusCode).toBe(200);
      expect((await h.apps[0]!.inject({ method: 'GET', url: '/x/' })).statusCode).toBe(404);
    } finally {
      await h.close();
    }
  });
});

describe('Handler forms', () => {
  it('routes a YAML route to a controller method named with @Handler', async () => {
    @Route('/people')
    class NamedPeopleController {
      @Handler('user.list') @Get('/') list() { return ['ann', 'bob']; }
      @Handler('user.one') @Get('/:id') one(@Path('id') id: number) { return { id }; }
    }
    @Module({ controllers: [NamedPeopleController] })
    class NamedPeopleModule {}
    const h = await Lokstra.build({
      apps: [{ name: 'api', address: ':0', routes: [
        { method: 'GET', path: '/staff', handler: 'user.list' },
        { method: 'GET', path: '/staff/:id', handler: 'user.one' },
      ] }],
    }, { modules: [NamedPeopleModule], logger });
    try {
      const list = await h.apps[0]!.inject({ method: 'GET', url: '/staff' });
      expect(list.statusCode).toBe(200);
      expect(body(list).data).toEqual(['ann', 'bob']);
      const one = await h.apps[0]!.inject({ method: 'GET', url: '/staff/5' });
      expect(body(one).data).toEqual({ id: 5 });
      // The app lists routes, so the controller itself is not mounted.
      expect((await h.apps[0]!.inject({ method: 'GET', url: '/people' })).statusCode).toBe(404);
    } finally {
      await h.close();
    }
  });

  it('routes registered handler names from a module, the registry and code', async () => {
    const mod = defineModule({ name: 'named', handlers: { health: (ctx: Context) => ctx.ok('up') } });
    const lk = new Lokstra({ modules: [mod], logger });
    lk.registry.handler('ping', (ctx: Context) => ctx.ok('pong'));
    const app = lk.app('api', ':0');
    app.get('/health', 'health');
    app.group('/g').get('/ping', 'ping');
    const h = await lk.build({});
    try {
      expect(body(await h.apps[0]!.inject({ method: 'GET', url: '/health' })).data).toBe('up');
      expect(body(await h.apps[0]!.inject({ method: 'GET', url: '/g/ping' })).data).toBe('pong');
    } finally {
      await h.close();
    }
  });

  it('maps a plain return value to ok() and undefined to 204', async () => {
    const lk = new Lokstra({ logger });
    const app = lk.app('api', ':0');
    app.get('/plain', () => ({ a: 1 }));
    app.get('/none', () => undefined);
    const h = await lk.build({});
    try {
      const plain = await h.apps[0]!.inject({ method: 'GET', url: '/plain' });
      expect(plain.statusCode).toBe(200);
      expect(body(plain)).toMatchObject({ code: 'OK', data: { a: 1 } });
      const none = await h.apps[0]!.inject({ method: 'GET', url: '/none' });
      expect(none.statusCode).toBe(204);
      expect(none.body).toBe('');
    } finally {
      await h.close();
    }
  });

  class ItemRequest {
    @Path('id') @IsInt() @Min(1) id!: number;
    @Query('q') q?: string;
  }

  it('binds and validates the DTO of a bind(Dto, fn) handler', async () => {
    const lk = new Lokstra({ logger });
    let calls = 0;
    lk.app('api', ':0').get('/items/:id', bind(ItemRequest, (ctx: Context, req: ItemRequest) => {
      calls++;
      return ctx.ok({ id: req.id, type: typeof req.id, q: req.q, isDto: req instanceof ItemRequest });
    }));
    const h = await lk.build({});
    try {
      const ok = await h.apps[0]!.inject({ method: 'GET', url: '/items/12?q=hi' });
      expect(ok.statusCode).toBe(200);
      expect(body(ok).data).toEqual({ id: 12, type: 'number', q: 'hi', isDto: true });
      const notNumber = await h.apps[0]!.inject({ method: 'GET', url: '/items/abc' });
      expect(notNumber.statusCode).toBe(400);
      expect(body(notNumber).code).toBe('VALIDATION_ERROR');
      const tooSmall = await h.apps[0]!.inject({ method: 'GET', url: '/items/0' });
      expect(tooSmall.statusCode).toBe(400);
      expect(body(tooSmall).code).toBe('VALIDATION_ERROR');
      expect(calls).toBe(1);
    } finally {
      await h.close();
    }
  });

  it('lets an explicit @Head route win over the implicit HEAD of @Get', async () => {
    @Route('/probe')
    class ProbeController {
      @Get('/') get() { return 'body'; }
      @Head('/') head(ctx: Context) { return ctx.okNoContent().withHeader('x-explicit', 'yes'); }
    }
    @Module({ controllers: [ProbeController] })
    class ProbeModule {}
    const h = await Lokstra.build({ apps: [{ name: 'api', address: ':0' }] }, { modules: [ProbeModule], logger });
    try {
      const head = await h.apps[0]!.inject({ method: 'HEAD', url: '/probe' });
      expect(head.headers['x-explicit']).toBe('yes');
      expect(head.body).toBe('');
      const get = await h.apps[0]!.inject({ method: 'GET', url: '/probe' });
      expect(get.statusCode).toBe(200);
      expect(get.headers['x-explicit']).toBeUndefined();
    } finally {
      await h.close();
    }
  });

  it('routes @Put and @Delete controller methods', async () => {
    @Route('/things')
    class ThingController {
      @Put('/:id') put(@Path('id') id: string) { return { put: id }; }
      @Delete('/:id') remove(ctx: Context) { return ctx.okNoContent(); }
    }
    @Module({ controllers: [ThingController] })
    class ThingModule {}
    const h = await Lokstra.build({ apps: [{ name: 'api', address: ':0' }] }, { modules: [ThingModule], logger });
    try {
      expect(body(await h.apps[0]!.inject({ method: 'PUT', url: '/things/a' })).data).toEqual({ put: 'a' });
      expect((await h.apps[0]!.inject({ method: 'DELETE', url: '/things/a' })).statusCode).toBe(204);
    } finally {
      await h.close();
    }
  });
});

describe('route table dump', () => {
  it('logs every route at debug with method, full path, handler name and middleware names', async () => {
    const log = memoryLogger([]);
    const mod = defineModule({
      name: 'dump', handlers: { 'dump.handler': () => 'x' },
      middleware: { audit_mw: recorder('audit'), outer_mw: recorder('outer') },
    });
    const h = await Lokstra.build({
      server: { global_setting: { log_level: 'debug' } },
      apps: [{ name: 'api', address: ':0', middleware: ['outer_mw'], groups: [{ prefix: '/grp', routes: [{ method: 'POST', path: '/dumped', handler: 'dump.handler', middleware: ['audit_mw'] }] }] }],
    }, { modules: [mod], logger: log });
    try {
      const lines = log.lines.filter((l) => l.level === 'debug').map((l) => JSON.stringify(l));
      const line = lines.find((l) => l.includes('/grp/dumped'));
      expect(line).toBeDefined();
      expect(line).toContain('POST');
      expect(line).toContain('dump.handler');
      expect(line).toContain('outer_mw');
      expect(line).toContain('audit_mw');
    } finally {
      await h.close();
    }
  });
});

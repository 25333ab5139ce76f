import 'reflect-metadata';
import { Lokstra, Route, Get, Post, Head, Module, defineModule, Context, type LokstraHandle } from '../../../src/index';
import { body, expectBootError, freePort, memoryLogger } from './harness';

const logger = memoryLogger();

const mod = defineModule({
  name: 'apps-handlers',
  handlers: {
    a: (ctx: Context) => ctx.ok('a'),
    b: (ctx: Context) => ctx.ok('b'),
    shared: (ctx: Context) => ctx.ok('shared'),
  },
  middleware: {
    mark_a: () => async (_ctx: Context, next) => (await next()).withHeader('x-app', 'A'),
    mark_b: () => async (_ctx: Context, next) => (await next()).withHeader('x-app', 'B'),
  },
});

describe('several apps', () => {
  it('serves each app only its own routes on different addresses', async () => {
    const h = await Lokstra.build({
      apps: [
        { name: 'a', address: ':0', routes: [{ method: 'GET', path: '/a', handler: 'a' }] },
        { name: 'b', address: '127.0.0.1:0', routes: [{ method: 'GET', path: '/b', handler: 'b' }] },
      ],
    }, { modules: [mod], logger });
    try {
      expect(h.apps.map((x) => x.name)).toEqual(['a', 'b']);
      expect(h.apps[0]!.address).not.toBe(h.apps[1]!.address);
      expect(body(await h.apps[0]!.inject({ method: 'GET', url: '/a' })).data).toBe('a');
      expect((await h.apps[0]!.inject({ method: 'GET', url: '/b' })).statusCode).toBe(404);
      expect(body(await h.apps[1]!.inject({ method: 'GET', url: '/b' })).data).toBe('b');
      expect((await h.apps[1]!.inject({ method: 'GET', url: '/a' })).statusCode).toBe(404);
    } finally {
      await h.close();
    }
  });

  it('allows the same method and path in apps on different addresses', async () => {
    const h = await Lokstra.build({
      apps: [
        { name: 'a', address: ':0', middleware: ['mark_a'], routes: [{ method: 'GET', path: '/same', handler: 'a' }] },
        { name: 'b', address: '127.0.0.1:0', middleware: ['mark_b'], routes: [{ method: 'GET', path: '/same', handler: 'b' }] },
      ],
    }, { modules: [mod], logger });
    try {
      const a = await h.apps[0]!.inject({ method: 'GET', url: '/same' });
      expect(body(a).data).toBe('a');
      expect(a.headers['x-app']).toBe('A');
      const b = await h.apps[1]!.inject({ method: 'GET', url: '/same' });
      expect(body(b).data).toBe('b');
      expect(b.headers['x-app']).toBe('B');
    } finally {
      await h.close();
    }
  });

  it('merges two apps on the same address into one listener, each with its own middleware tree', async () => {
    const port = await freePort();
    const h = await Lokstra.build({
      apps: [
        { name: 'a', address: `127.0.0.1:${port}`, middleware: ['mark_a'], routes: [{ method: 'GET', path: '/a', handler: 'a' }] },
        { name: 'b', address: `127.0.0.1:${port}`, routes: [{ method: 'GET', path: '/b', handler: 'b' }] },
      ],
    }, { modules: [mod], logger });
    try {
      expect(h.apps[0]!.address).toBe(h.apps[1]!.address);
      // One listener: both apps' routes answer on either handle.
      for (const app of h.apps) {
        const a = await app.inject({ method: 'GET', url: '/a' });
        expect(a.statusCode).toBe(200);
        expect(body(a).data).toBe('a');
        expect(a.headers['x-app']).toBe('A');
        const b = await app.inject({ method: 'GET', url: '/b' });
        expect(b.statusCode).toBe(200);
        expect(body(b).data).toBe('b');
        expect(b.headers['x-app']).toBeUndefined();
      }
    } finally {
      await h.close();
    }
  });

  it('treats ":port" and "0.0.0.0:port" as the same listener', async () => {
    const port = await freePort();
    const h = await Lokstra.build({
      apps: [
        { name: 'a', address: `:${port}`, routes: [{ method: 'GET', path: '/a', handler: 'a' }] },
        { name: 'b', address: `0.0.0.0:${port}`, routes: [{ method: 'GET', path: '/b', handler: 'b' }] },
      ],
    }, { modules: [mod], logger });
    try {
      expect(h.apps[0]!.address).toBe(h.apps[1]!.address);
      expect((await h.apps[0]!.inject({ method: 'GET', url: '/b' })).statusCode).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('answers 405 with an Allow header merged across apps sharing a listener', async () => {
    const port = await freePort();
    const h = await Lokstra.build({
      apps: [
        { name: 'a', address: `127.0.0.1:${port}`, routes: [{ method: 'GET', path: '/r', handler: 'a' }] },
        { name: 'b', address: `127.0.0.1:${port}`, routes: [{ method: 'POST', path: '/r', handler: 'b' }] },
      ],
    }, { modules: [mod], logger });
    try {
      expect(body(await h.apps[0]!.inject({ method: 'GET', url: '/r' })).data).toBe('a');
      expect(body(await h.apps[0]!.inject({ method: 'POST', url: '/r' })).data).toBe('b');
      const put = await h.apps[0]!.inject({ method: 'PUT', url: '/r' });
      expect(put.statusCode).toBe(405);
      expect(allowOf(put.headers.allow)).toEqual(['GET', 'HEAD', 'OPTIONS', 'POST']);
    } finally {
      await h.close();
    }
  });

  it('fails boot with LKS_ERR_ROUTE_DUPLICATE for the same method and path in two apps on one address', async () => {
    const port = await freePort();
    const err = await expectBootError(Lokstra.build({
      apps: [
        { name: 'a', address: `127.0.0.1:${port}`, routes: [{ method: 'GET', path: '/same', handler: 'a' }] },
        { name: 'b', address: `127.0.0.1:${port}`, routes: [{ method: 'GET', path: '/same', handler: 'b' }] },
      ],
    }, { modules: [mod], logger }), 'LKS_ERR_ROUTE_DUPLICATE');
    expect(err.params.method).toBe('GET');
  });

  it('fails boot with LKS_ERR_ROUTE_DUPLICATE when two apps on one address mount the same controller', async () => {
    @Route('/dup')
    class SharedDupController {
      @Get('/') get() { return 'x'; }
    }
    @Module({ controllers: [SharedDupController] })
    class SharedDupModule {}
    const port = await freePort();
    await expectBootError(Lokstra.build({
      apps: [
        { name: 'a', address: `127.0.0.1:${port}`, controllers: ['SharedDupController'] },
        { name: 'b', address: `127.0.0.1:${port}`, controllers: ['SharedDupController'] },
      ],
    }, { modules: [SharedDupModule], logger }), 'LKS_ERR_ROUTE_DUPLICATE');
  });
});

describe('duplicate routes in one app', () => {
  const build = (routes: { method: string; path: string; handler: string }[]): Promise<LokstraHandle> =>
    Lokstra.build({ apps: [{ name: 'api', address: ':0', routes: routes as never }] }, { modules: [mod], logger });

  it('fails boot with LKS_ERR_ROUTE_DUPLICATE for the same method and path, naming both sources', async () => {
    const err = await expectBootError(build([
      { method: 'GET', path: '/u', handler: 'a' },
      { method: 'GET', path: '/u', handler: 'b' },
    ]), 'LKS_ERR_ROUTE_DUPLICATE');
    expect(String(err.params.first)).toContain('routes[0]');
    expect(String(err.params.second)).toContain('routes[1]');
  });

  it('fails boot with LKS_ERR_ROUTE_DUPLICATE when only the parameter names differ', async () => {
    await expectBootError(build([
      { method: 'GET', path: '/u/:id', handler: 'a' },
      { method: 'GET', path: '/u/:uid', handler: 'b' },
    ]), 'LKS_ERR_ROUTE_DUPLICATE');
  });

  it('fails boot with LKS_ERR_ROUTE_DUPLICATE for :id and the Go-style {id}', async () => {
    await expectBootError(build([
      { method: 'GET', path: '/u/:id', handler: 'a' },
      { method: 'GET', path: '/u/{key}', handler: 'b' },
    ]), 'LKS_ERR_ROUTE_DUPLICATE');
  });

  it('fails boot with LKS_ERR_ROUTE_DUPLICATE when only a trailing slash differs', async () => {
    await expectBootError(build([
      { method: 'GET', path: '/u', handler: 'a' },
      { method: 'GET', path: '/u/', handler: 'b' },
    ]), 'LKS_ERR_ROUTE_DUPLICATE');
  });

  it('fails boot with LKS_ERR_ROUTE_DUPLICATE for a group route equal to a root route', async () => {
    await expectBootError(Lokstra.build({
      apps: [{
        name: 'api', address: ':0',
        routes: [{ method: 'GET', path: '/v1/x', handler: 'a' }],
        groups: [{ prefix: '/v1', routes: [{ method: 'GET', path: '/x', handler: 'b' }] }],
      }],
    }, { modules: [mod], logger }), 'LKS_ERR_ROUTE_DUPLICATE');
  });

  it('fails boot with LKS_ERR_ROUTE_DUPLICATE for a controller route equal to a code route', async () => {
    @Route('/users')
    class DupUsersController {
      @Post('/') create() { return 'c'; }
    }
    const lk = new Lokstra({ logger });
    const app = lk.app('api', ':0');
    app.mount(DupUsersController);
    app.post('/users', () => 'code');
    await expectBootError(lk.build({}), 'LKS_ERR_ROUTE_DUPLICATE');
  });

  it('fails boot with LKS_ERR_ROUTE_DUPLICATE for all() and get() on the same path', async () => {
    const lk = new Lokstra({ logger });
    const app = lk.app('api', ':0');
    app.all('/any', () => 'all');
    app.get('/any', () => 'get');
    await expectBootError(lk.build({}), 'LKS_ERR_ROUTE_DUPLICATE');
  });

  it('fails boot with LKS_ERR_ROUTE_DUPLICATE for two explicit HEAD routes', async () => {
    const lk = new Lokstra({ logger });
    const app = lk.app('api', ':0');
    app.head('/h', () => undefined);
    app.head('/h/', () => undefined);
    await expectBootError(lk.build({}), 'LKS_ERR_ROUTE_DUPLICATE');
  });

  it('accepts different methods on the same path and the same method on different paths', async () => {
    const h = await build([
      { method: 'GET', path: '/u/:id', handler: 'a' },
      { method: 'DELETE', path: '/u/:uid', handler: 'b' },
      { method: 'GET', path: '/u/:id/x', handler: 'shared' },
    ]);
    try {
      expect(body(await h.apps[0]!.inject({ method: 'GET', url: '/u/1' })).data).toBe('a');
      expect(body(await h.apps[0]!.inject({ method: 'DELETE', url: '/u/1' })).data).toBe('b');
      expect(body(await h.apps[0]!.inject({ method: 'GET', url: '/u/1/x' })).data).toBe('shared');
    } finally {
      await h.close();
    }
  });
});

function allowOf(header: string | string[] | number | undefined): string[] {
  return String(header ?? '').split(',').map((s) => s.trim()).filter(Boolean).sort();
}

describe('unknown paths, wrong methods, OPTIONS and HEAD', () => {
  @Route('/res')
  class ResController {
    @Get('/') list() { return ['r']; }
    @Post('/') create(ctx: Context) { return ctx.okCreated('r'); }
    @Get('/:id') one(ctx: Context) { return ctx.params.id; }
  }
  @Route('/only-head')
  class OnlyHeadController {
    @Head('/') head(ctx: Context) { return ctx.okNoContent().withHeader('x-h', '1'); }
  }
  @Module({ controllers: [ResController, OnlyHeadController] })
  class ResModule {}

  let h: LokstraHandle;
  beforeAll(async () => {
    h = await Lokstra.build({ apps: [{ name: 'api', address: ':0' }] }, { modules: [ResModule], logger });
  });
  afterAll(async () => h.close());

  it('answers an unknown path with a 404 envelope', async () => {
    const res = await h.apps[0]!.inject({ method: 'GET', url: '/nowhere' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(body(res)).toMatchObject({ code: 'NOT_FOUND', success: false });
  });

  it('answers an unknown path with a 404 envelope for a non-GET method', async () => {
    const res = await h.apps[0]!.inject({ method: 'DELETE', url: '/nowhere/at/all' });
    expect(res.statusCode).toBe(404);
    expect(body(res).code).toBe('NOT_FOUND');
  });

  it('answers a wrong method with a 405 envelope and Allow listing GET, HEAD, POST, OPTIONS', async () => {
    const res = await h.apps[0]!.inject({ method: 'DELETE', url: '/res' });
    expect(res.statusCode).toBe(405);
    expect(body(res)).toMatchObject({ code: 'METHOD_NOT_ALLOWED', success: false });
    expect(allowOf(res.headers.allow)).toEqual(['GET', 'HEAD', 'OPTIONS', 'POST']);
  });

  it('answers 405 on a parameterised path with that path’s methods only', async () => {
    const res = await h.apps[0]!.inject({ method: 'PATCH', url: '/res/5' });
    expect(res.statusCode).toBe(405);
    expect(body(res).code).toBe('METHOD_NOT_ALLOWED');
    expect(allowOf(res.headers.allow)).toEqual(['GET', 'HEAD', 'OPTIONS']);
  });

  it('answers 405 for a wrong method on a path with a trailing slash', async () => {
    const res = await h.apps[0]!.inject({ method: 'PUT', url: '/res/' });
    expect(res.statusCode).toBe(405);
    expect(body(res).code).toBe('METHOD_NOT_ALLOWED');
  });

  it('answers GET on a HEAD-only route with 405 and Allow without GET', async () => {
    const res = await h.apps[0]!.inject({ method: 'GET', url: '/only-head' });
    expect(res.statusCode).toBe(405);
    expect(body(res).code).toBe('METHOD_NOT_ALLOWED');
    expect(allowOf(res.headers.allow)).toEqual(['HEAD', 'OPTIONS']);
    const head = await h.apps[0]!.inject({ method: 'HEAD', url: '/only-head' });
    expect(head.headers['x-h']).toBe('1');
  });

  it('answers a plain OPTIONS with 204 and Allow', async () => {
    const res = await h.apps[0]!.inject({ method: 'OPTIONS', url: '/res' });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(allowOf(res.headers.allow)).toEqual(['GET', 'HEAD', 'OPTIONS', 'POST']);
  });

  it('answers OPTIONS on a parameterised path with 204 and Allow', async () => {
    const res = await h.apps[0]!.inject({ method: 'OPTIONS', url: '/res/9' });
    expect(res.statusCode).toBe(204);
    expect(allowOf(res.headers.allow)).toEqual(['GET', 'HEAD', 'OPTIONS']);
  });

  it('answers OPTIONS on an unknown path with a 404 envelope', async () => {
    const res = await h.apps[0]!.inject({ method: 'OPTIONS', url: '/nowhere' });
    expect(res.statusCode).toBe(404);
    expect(body(res).code).toBe('NOT_FOUND');
  });

  it('answers HEAD on a GET route with 200 and no body', async () => {
    const get = await h.apps[0]!.inject({ method: 'GET', url: '/res' });
    const res = await h.apps[0]!.inject({ method: 'HEAD', url: '/res' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    expect(res.headers['content-type']).toBe(get.headers['content-type']);
  });

  it('answers HEAD on a parameterised GET route with 200 and no body', async () => {
    const res = await h.apps[0]!.inject({ method: 'HEAD', url: '/res/3' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
  });

  it('answers 405 with Allow on code routes, counting HEAD when GET exists', async () => {
    const lk = new Lokstra({ logger });
    const app = lk.app('api', ':0');
    app.get('/c', () => 'c');
    app.put('/c', () => 'c');
    const h2 = await lk.build({});
    try {
      const res = await h2.apps[0]!.inject({ method: 'POST', url: '/c' });
      expect(res.statusCode).toBe(405);
      expect(allowOf(res.headers.allow)).toEqual(['GET', 'HEAD', 'OPTIONS', 'PUT']);
    } finally {
      await h2.close();
    }
  });
});

describe('405 placeholders never shadow a real route', () => {
  it('lets a GET catch-all answer a path that only declares POST', async () => {
    const lk = new Lokstra({ logger });
    const app = lk.app('api', ':0');
    app.get('/*', (ctx: Context) => ctx.ok('spa'));
    app.post('/api/login', (ctx: Context) => ctx.ok('login'));
    const h = await lk.build({});
    try {
      expect(body(await h.apps[0]!.inject({ method: 'GET', url: '/about' })).data).toBe('spa');
      expect(body(await h.apps[0]!.inject({ method: 'POST', url: '/api/login' })).data).toBe('login');
      const res = await h.apps[0]!.inject({ method: 'GET', url: '/api/login' });
      expect(res.statusCode).toBe(200);
      expect(body(res).data).toBe('spa');
    } finally {
      await h.close();
    }
  });

  it('lets GET /users/:id answer /users/bulk when only POST /users/bulk is declared', async () => {
    const lk = new Lokstra({ logger });
    const app = lk.app('api', ':0');
    app.get('/users/:id', (ctx: Context) => ctx.ok(ctx.params.id));
    app.post('/users/bulk', (ctx: Context) => ctx.okCreated('bulk'));
    const h = await lk.build({});
    try {
      expect((await h.apps[0]!.inject({ method: 'POST', url: '/users/bulk' })).statusCode).toBe(201);
      const res = await h.apps[0]!.inject({ method: 'GET', url: '/users/bulk' });
      expect(res.statusCode).toBe(200);
      expect(body(res).data).toBe('bulk');
    } finally {
      await h.close();
    }
  });

  it('lets POST /n/:id answer /n/1 when GET declares a regex param on the same segment', async () => {
    const lk = new Lokstra({ logger });
    const app = lk.app('api', ':0');
    app.get('/n/:id(^\\d+$)', (ctx: Context) => ctx.ok('get'));
    app.post('/n/:id', (ctx: Context) => ctx.ok('post'));
    const h = await lk.build({});
    try {
      expect(body(await h.apps[0]!.inject({ method: 'GET', url: '/n/1' })).data).toBe('get');
      const res = await h.apps[0]!.inject({ method: 'POST', url: '/n/1' });
      expect(res.statusCode).toBe(200);
      expect(body(res).data).toBe('post');
    } finally {
      await h.close();
    }
  });

  it('still answers 405 for a method no route matches, listing only matching methods', async () => {
    const lk = new Lokstra({ logger });
    const app = lk.app('api', ':0');
    app.get('/users/:id', (ctx: Context) => ctx.ok(ctx.params.id));
    app.delete('/users/:uid', () => undefined);
    const h = await lk.build({});
    try {
      const res = await h.apps[0]!.inject({ method: 'PUT', url: '/users/1' });
      expect(res.statusCode).toBe(405);
      expect(body(res).code).toBe('METHOD_NOT_ALLOWED');
      expect(allowOf(res.headers.allow)).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS']);
    } finally {
      await h.close();
    }
  });
});

describe('real HTTP', () => {
  it('serves routes, 404 and 405 envelopes over a socket after listen()', async () => {
    const h = await Lokstra.build({
      apps: [{ name: 'api', address: '127.0.0.1:0', routes: [{ method: 'GET', path: '/a', handler: 'a' }] }],
    }, { modules: [mod], logger });
    try {
      await h.listen();
      const url = h.apps[0]!.url;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const ok = await fetch(`${url}/a`);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ code: 'OK', data: 'a' });
      const missing = await fetch(`${url}/missing`);
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { code: string }).code).toBe('NOT_FOUND');
      const wrong = await fetch(`${url}/a`, { method: 'DELETE' });
      expect(wrong.status).toBe(405);
      expect(wrong.headers.get('allow')).toContain('GET');
      expect(((await wrong.json()) as { code: string }).code).toBe('METHOD_NOT_ALLOWED');
      const head = await fetch(`${url}/a`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
    } finally {
      await h.close();
    }
  });

  it('serves two apps merged on one real port, each with its own middleware', async () => {
    const port = await freePort();
    const h = await Lokstra.build({
      apps: [
        { name: 'a', address: `127.0.0.1:${port}`, middleware: ['mark_a'], routes: [{ method: 'GET', path: '/a', handler: 'a' }] },
        { name: 'b', address: `127.0.0.1:${port}`, middleware: ['mark_b'], routes: [{ method: 'GET', path: '/b', handler: 'b' }] },
      ],
    }, { modules: [mod], logger });
    try {
      await h.listen();
      expect(h.apps[0]!.url).toBe(h.apps[1]!.url);
      const a = await fetch(`http://127.0.0.1:${port}/a`);
      expect(a.headers.get('x-app')).toBe('A');
      const b = await fetch(`http://127.0.0.1:${port}/b`);
      expect(b.headers.get('x-app')).toBe('B');
      expect(((await b.json()) as { data: string }).data).toBe('b');
      await a.arrayBuffer();
    } finally {
      await h.close();
    }
  });
});

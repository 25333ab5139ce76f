import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Context, defineModule, Get, Lokstra, Module, Route, Use, type FastifyMiddleware, type MiddlewareFn } from '../../src/index';
import { expectBootError } from '../http/routing/harness';
import { build, captureLogger } from './harness';

const TRAIL = Symbol('trail');

// Fastify-phase and (ctx, next) middleware append to one per-request trail, so the test sees both phases.
function trailOf(req: FastifyRequest): string[] {
  const holder = req as unknown as Record<symbol, string[] | undefined>;
  return (holder[TRAIL] ??= []);
}

/** A Fastify-phase middleware whose onRequest hook records `config.tag ?? fallback`. */
function hookRecorder(fallback: string): FastifyMiddleware {
  return {
    build: (config) => ({
      hooks: {
        onRequest: (req: FastifyRequest, _reply: FastifyReply, done: () => void) => {
          trailOf(req).push(typeof config.tag === 'string' ? config.tag : fallback);
          done();
        },
      },
    }),
  };
}

function wrapRecorder(tag: string): (config: Record<string, unknown>) => MiddlewareFn {
  return (config) => async (ctx: Context, next) => {
    trailOf(ctx.req).push(typeof config.tag === 'string' ? config.tag : tag);
    return next();
  };
}

const trailHandler = (ctx: Context): unknown => ctx.ok(trailOf(ctx.req));

const recorders = defineModule({
  name: 'hook-recorders',
  middleware: {
    h_app: { fastify: hookRecorder('h_app'), priority: 50 },
    h_group: { fastify: hookRecorder('h_group') },
    h_route: { fastify: hookRecorder('h_route') },
    h_early: { fastify: hookRecorder('h_early'), priority: 5 },
    h_tag: { fastify: hookRecorder('h_tag') },
    w_app: wrapRecorder('w_app'),
    w_early: { factory: wrapRecorder('w_early'), priority: 1 },
  },
  handlers: { trail: trailHandler },
});

async function trail(h: Awaited<ReturnType<typeof Lokstra.build>>, url: string): Promise<string[]> {
  const res = await h.apps[0]!.inject(url);
  expect(res.statusCode).toBe(200);
  return res.json().data as string[];
}

describe('middleware phases and order', () => {
  @Use('h_tag')
  @Route('/ctl')
  class TrailController {
    @Use({ name: 'h_tag', config: { tag: 'method' } }) @Get('/') get(ctx: Context) { return trailHandler(ctx); }
    @Get('/plain') plain(ctx: Context) { return trailHandler(ctx); }
  }
  @Module({ controllers: [TrailController] })
  class TrailModule {}

  const { logger } = captureLogger();
  let h: Awaited<ReturnType<typeof Lokstra.build>>;
  beforeAll(async () => {
    h = await build({
      apps: [{
        name: 'api', address: ':0',
        middleware: ['w_early', 'w_app', 'h_app'],
        controllers: ['TrailController'],
        routes: [
          { method: 'GET', path: '/r', handler: 'trail', middleware: ['h_route', 'h_early'] },
          { method: 'GET', path: '/alone', handler: 'trail', middleware: ['h_route'], override_middleware: true },
        ],
        groups: [{
          prefix: '/g', middleware: ['h_group'],
          routes: [{ method: 'GET', path: '/r', handler: 'trail', middleware: ['h_route'] }],
          groups: [{ prefix: '/open', override_middleware: true, middleware: ['h_group', 'w_app'], routes: [{ method: 'GET', path: '/r', handler: 'trail' }] }],
        }],
      }],
    }, logger, [recorders, TrailModule]);
  });
  afterAll(() => h.close());

  it('runs every Fastify-phase middleware (hooks) before any (ctx, next) middleware, whatever their priorities', async () => {
    // w_early has priority 1, h_app 50: phases come first, priority orders within a phase.
    expect(await trail(h, '/g/r')).toEqual(['h_app', 'h_group', 'h_route', 'w_early', 'w_app']);
  });

  it('orders hooks by priority across levels (lower runs first), ties in declaration order', async () => {
    expect(await trail(h, '/r')).toEqual(['h_early', 'h_app', 'h_route', 'w_early', 'w_app']);
  });

  it('drops inherited hook middleware for a route with override_middleware', async () => {
    expect(await trail(h, '/alone')).toEqual(['h_route']);
  });

  it('drops inherited hook and wrapper middleware for a group with override_middleware, keeping its own', async () => {
    expect(await trail(h, '/g/open/r')).toEqual(['h_group', 'w_app']);
  });

  it('runs a hook middleware named at controller and method level once, with the innermost config', async () => {
    expect(await trail(h, '/ctl')).toEqual(['h_app', 'method', 'w_early', 'w_app']);
    expect(await trail(h, '/ctl/plain')).toEqual(['h_app', 'h_tag', 'w_early', 'w_app']);
  });

  it('lists both phases in run order in the route table', () => {
    const r = h.routes.find((x) => x.url === '/r');
    expect(r?.middleware).toEqual(['h_early', 'h_app', 'h_route', 'w_early', 'w_app']);
  });
});

describe('built-in phases', () => {
  it('runs request_id, request_logger, cors … as hooks and recovery with the route, whatever the declaration order', async () => {
    const { logger } = captureLogger();
    const h = await build({
      apps: [{ name: 'api', address: ':0', middleware: ['body_limit', 'cors', 'request_logger', 'request_id', 'recovery'], routes: [{ method: 'GET', path: '/ok', handler: 'ok' }] }],
    }, logger);
    try {
      expect(h.routes[0]?.middleware).toEqual(['recovery', 'request_id', 'request_logger', 'cors', 'body_limit']);
    } finally {
      await h.close();
    }
  });

  it('lets a YAML priority move a built-in within its phase', async () => {
    const { logger } = captureLogger();
    const h = await build({
      apps: [{ name: 'api', address: ':0', middleware: ['request_id', { name: 'request_logger', priority: 1 }], routes: [{ method: 'GET', path: '/ok', handler: 'ok' }] }],
    }, logger);
    try {
      expect(h.routes[0]?.middleware).toEqual(['request_logger', 'request_id']);
    } finally {
      await h.close();
    }
  });
});

describe('custom Fastify-phase middleware', () => {
  it('registers a plugin once per listener through setup, and gives each route its own hooks and options', async () => {
    let setups = 0;
    const stamp: FastifyMiddleware = {
      async setup(fastify) {
        setups++;
        fastify.decorateReply('stamped', null);
      },
      build: (config) => (route) => ({
        options: { config: { stamp: `${String(config.prefix)}:${route.url}` } },
        hooks: {
          onSend: async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
            reply.header('x-stamp', String((req.routeOptions.config as unknown as Record<string, unknown>).stamp));
            return payload;
          },
        },
      }),
    };
    const lk = new Lokstra({ modules: [], logger: captureLogger().logger });
    lk.registry.middleware('stamp', stamp, { priority: 25, configSchema: { type: 'object', additionalProperties: false, properties: { prefix: { type: 'string' } } } });
    const app = lk.app('api', ':0');
    app.use({ name: 'stamp', config: { prefix: 'p' } });
    app.get('/a', (ctx: Context) => ctx.ok('a'));
    app.get('/b/:id', (ctx: Context) => ctx.ok('b'));
    const h = await lk.build({});
    try {
      expect((await h.apps[0]!.inject('/a')).headers['x-stamp']).toBe('p:/a');
      expect((await h.apps[0]!.inject('/b/1')).headers['x-stamp']).toBe('p:/b/:id');
      expect(setups).toBe(1);
    } finally {
      await h.close();
    }
  });

  it('fails boot when a custom middleware config breaks its configSchema (code and YAML)', async () => {
    const mod = defineModule({
      name: 'strict',
      middleware: { strict: { factory: () => async (_ctx: Context, next) => next(), configSchema: { type: 'object', additionalProperties: false, properties: { level: { type: 'integer' } } } } },
    });
    const { logger } = captureLogger();
    const err = await expectBootError(build({
      apps: [{ name: 'api', address: ':0', middleware: [{ name: 'strict', config: { levl: 3 } }], routes: [{ method: 'GET', path: '/ok', handler: 'ok' }] }],
    }, logger, [mod]), 'LKS_ERR_MIDDLEWARE_INVALID');
    expect(err.message).toContain("'levl'");
    await expectBootError(build({
      apps: [{ name: 'api', address: ':0', routes: [{ method: 'GET', path: '/ok', handler: 'ok', middleware: [{ name: 'strict', config: { level: 'high' } }] }] }],
    }, logger, [mod]), 'LKS_ERR_MIDDLEWARE_INVALID');
  });

  it('fails boot for an unknown key in a built-in config given in code', async () => {
    const lk = new Lokstra({ logger: captureLogger().logger });
    lk.app('api', ':0').get('/x', (ctx: Context) => ctx.ok(1), { name: 'cors', config: { allowed_origin: ['https://a.test'] } });
    await expectBootError(lk.build({}), 'LKS_ERR_MIDDLEWARE_INVALID');
  });

  it('fails boot for an unknown key in a built-in config given in a config object (the config schema, as for YAML)', async () => {
    const err = await expectBootError(build({
      apps: [{ name: 'api', address: ':0', middleware: [{ name: 'body_limit', config: { max_sise: '1kb' } }], routes: [{ method: 'GET', path: '/ok', handler: 'ok' }] }],
    }, captureLogger().logger), 'LKS_ERR_CONFIG_INVALID');
    expect(err.message).toContain("apps.api.middleware[0].config.max_sise: unknown key 'max_sise' (did you mean 'max_size'?)");
  });

  it('fails schema validation, naming file and line, for an unknown key in a built-in config in YAML', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lokstra-mw-'));
    const file = join(dir, 'lokstra.config.yaml');
    writeFileSync(file, 'apps:\n  - name: api\n    address: ":0"\n    middleware:\n      - { name: body_limit, config: { max_sise: 1kb } }\n');
    try {
      const err = await expectBootError(Lokstra.build(file, { modules: [], logger: captureLogger().logger }), 'LKS_ERR_CONFIG_INVALID');
      expect(err.message).toMatch(/lokstra\.config\.yaml:5/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a registration that is neither a factory nor { build }', () => {
    const lk = new Lokstra({ logger: captureLogger().logger });
    expect(() => lk.registry.middleware('bad', { setup: () => undefined } as never)).toThrow(expect.objectContaining({ code: 'LKS_ERR_MIDDLEWARE_INVALID' }));
  });
});

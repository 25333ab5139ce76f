import 'reflect-metadata';
import { Context, defineModule, HTTP_CONTRIBUTION, Lokstra, LokstraError, type HttpContribution, type LifecycleState } from '../../src/index';

function pingService(apps?: string[]) {
  return defineModule({
    name: 'ping',
    serviceFactories: {
      'test.ping': (_config, ctx) => ({
        [HTTP_CONTRIBUTION](): HttpContribution {
          const lifecycle: LifecycleState = ctx.lifecycle;
          return {
            handlers: { 'ping.state': (c: Context) => c.ok({ ready: lifecycle.ready }) },
            routes: [{ method: 'GET', path: '/ping', handler: 'ping.state', ...(apps ? { apps } : {}) }],
            onListener: (fastify: { addHook: (n: string, f: (req: unknown, reply: { header: (k: string, v: string) => void }) => Promise<void>) => void }) => {
              fastify.addHook('onRequest', async (_req, reply) => { reply.header('x-ping', '1'); });
            },
          };
        },
      }),
    },
  });
}

describe('HTTP contributions from services', () => {
  it('registers handlers, mounts routes on the first app by default and installs listener hooks', async () => {
    const h = await Lokstra.build({
      services: [{ name: 'ping', type: 'test.ping' }],
      apps: [{ name: 'api', address: ':0' }, { name: 'admin', address: '127.0.0.1:0' }],
    }, { modules: [pingService()] });
    const res = await h.apps[0]!.inject('/ping');
    expect(res.json().data).toEqual({ ready: true });
    expect(res.headers['x-ping']).toBe('1');
    expect((await h.apps[1]!.inject('/ping')).statusCode).toBe(404);
    await h.close();
    expect(h.lifecycle).toEqual({ ready: false, shuttingDown: true });
  });

  it('mounts on the named apps and rejects unknown app names', async () => {
    const h = await Lokstra.build({
      services: [{ name: 'ping', type: 'test.ping' }],
      apps: [{ name: 'api', address: ':0' }, { name: 'admin', address: '127.0.0.1:0' }],
    }, { modules: [pingService(['admin'])] });
    expect((await h.apps[1]!.inject('/ping')).statusCode).toBe(200);
    expect((await h.apps[0]!.inject('/ping')).statusCode).toBe(404);
    await h.close();
    const err = await Lokstra.build({ services: [{ name: 'ping', type: 'test.ping' }], apps: [{ name: 'api', address: ':0' }] },
      { modules: [pingService(['nope'])] }).catch((e: LokstraError) => e);
    expect((err as LokstraError).code).toBe('LKS_ERR_CONFIG_INVALID');
  });

  it('rejects a contributed handler name that is already registered', async () => {
    const err = await Lokstra.build({ services: [{ name: 'ping', type: 'test.ping' }], apps: [{ name: 'api', address: ':0' }] },
      { modules: [pingService(), defineModule({ name: 'x', handlers: { 'ping.state': () => 1 } })] }).catch((e: LokstraError) => e);
    expect((err as LokstraError).code).toBe('LKS_ERR_DI_DUPLICATE');
  });
});

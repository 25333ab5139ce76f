import 'reflect-metadata';
import { Context, defineModule, Lokstra } from '../../../src/index';

const mod = defineModule({ name: 'm', handlers: { ok: (ctx: Context) => ctx.ok(ctx.get('hooked') ?? false) } });

describe('listener options', () => {
  it('sets safe Node server timeouts from global_setting', async () => {
    const h = await Lokstra.run({
      server: { global_setting: { request_timeout: '7s', headers_timeout: '3s', keep_alive_timeout: '2s', max_header_size: '8kb' } },
      apps: [{ name: 'api', address: '127.0.0.1:0', routes: [{ method: 'GET', path: '/ok', handler: 'ok' }] }],
    }, { modules: [mod], handleSignals: false });
    const server = h.apps[0]!.fastify.server;
    expect(server.requestTimeout).toBe(7000);
    expect(server.headersTimeout).toBe(3000);
    expect(server.keepAliveTimeout).toBe(2000);
    expect((server as unknown as { maxHeaderSize: number }).maxHeaderSize).toBe(8192);
    await h.close();
  });

  it('uses defaults that are safe for a public server', async () => {
    const h = await Lokstra.run({ apps: [{ name: 'api', address: '127.0.0.1:0' }] }, { modules: [mod], handleSignals: false });
    const server = h.apps[0]!.fastify.server;
    expect(server.requestTimeout).toBe(30_000);
    expect(server.headersTimeout).toBe(10_000);
    expect(server.keepAliveTimeout).toBe(5_000);
    await h.close();
  });

  it('lets Fastify hooks and plugins run underneath Lokstra through onFastify', async () => {
    const seen: string[][] = [];
    const h = await Lokstra.build({ apps: [{ name: 'api', address: ':0', routes: [{ method: 'GET', path: '/ok', handler: 'ok' }] }] }, {
      modules: [mod],
      onFastify: (fastify, apps) => {
        seen.push(apps);
        fastify.addHook('onRequest', async (_req, reply) => { reply.header('x-hooked', 'yes'); });
      },
    });
    const res = await h.apps[0]!.inject('/ok');
    expect(res.headers['x-hooked']).toBe('yes');
    expect((await h.apps[0]!.inject('/missing')).headers['x-hooked']).toBe('yes');
    expect(seen).toEqual([['api']]);
    await h.close();
  });
});

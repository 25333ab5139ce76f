import 'reflect-metadata';
import { Agent } from 'node:http';
import { Context, defineModule, Lokstra, LokstraError, Service } from '../../../src/index';
import { freePort, get, occupy } from '../../helpers/net';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Resolves when a /slow request has reached its handler (a fixed sleep races under CI load).
let entered: () => void = () => undefined;
const handlerEntered = (): Promise<void> => new Promise((r) => { entered = r; });

function slowModule(ms: number) {
  return defineModule({
    name: 'slow',
    handlers: {
      slow: async (ctx: Context) => { entered(); await sleep(ms); return ctx.ok('done'); },
      fast: (ctx: Context) => ctx.ok('fast'),
    },
  });
}

function config(port: number, shutdown = '2s') {
  return {
    server: { global_setting: { shutdown_timeout: shutdown } },
    apps: [{
      name: 'api', address: `127.0.0.1:${port}`,
      routes: [{ method: 'GET' as const, path: '/slow', handler: 'slow' }, { method: 'GET' as const, path: '/fast', handler: 'fast' }],
    }],
  };
}

describe('server lifecycle over real sockets', () => {
  it('lets in-flight requests finish on close, then refuses new connections', async () => {
    const port = await freePort();
    const h = await Lokstra.run(config(port), { modules: [slowModule(300)], handleSignals: false });
    const reached = handlerEntered();
    const inflight = get(`http://127.0.0.1:${port}/slow`);
    await reached;
    const closing = h.close();
    const res = await inflight;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).data).toBe('done');
    await closing;
    await expect(get(`http://127.0.0.1:${port}/fast`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('does not let an idle keep-alive client hold shutdown', async () => {
    const port = await freePort();
    const h = await Lokstra.run(config(port, '10s'), { modules: [slowModule(0)], handleSignals: false });
    const agent = new Agent({ keepAlive: true, keepAliveMsecs: 60_000 });
    expect((await get(`http://127.0.0.1:${port}/fast`, agent)).status).toBe(200);
    const started = Date.now();
    await h.close();
    expect(Date.now() - started).toBeLessThan(1000);
    agent.destroy();
  });

  it('closes a busy keep-alive connection after its response instead of waiting for the deadline', async () => {
    const port = await freePort();
    const h = await Lokstra.run(config(port, '10s'), { modules: [slowModule(200)], handleSignals: false });
    const agent = new Agent({ keepAlive: true });
    const reached = handlerEntered();
    const inflight = get(`http://127.0.0.1:${port}/slow`, agent);
    await reached;
    const started = Date.now();
    await h.close();
    const res = await inflight;
    expect(res.status).toBe(200);
    expect(res.headers.connection).toBe('close');
    expect(Date.now() - started).toBeLessThan(2000);
    agent.destroy();
  });

  it('force-closes connections still busy at the shutdown deadline', async () => {
    const port = await freePort();
    const h = await Lokstra.run(config(port, '300ms'), { modules: [slowModule(5000)], handleSignals: false });
    const reached = handlerEntered();
    const inflight = get(`http://127.0.0.1:${port}/slow`).catch((e: NodeJS.ErrnoException) => e.code);
    await reached;
    const started = Date.now();
    await h.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await inflight).toBe('ECONNRESET');
  });

  it('is idempotent: close() twice resolves once everything is stopped', async () => {
    const stops: string[] = [];
    @Service()
    class Pool { onStop() { stops.push('pool'); } }
    const port = await freePort();
    const h = await Lokstra.run(config(port), { modules: [slowModule(0), defineModule({ name: 'p', services: [Pool] })], handleSignals: false });
    await Promise.all([h.close(), h.close()]);
    await h.close();
    expect(stops).toEqual(['pool']);
  });

  it('fails with the app and address when a port is taken, releasing the ports already bound', async () => {
    const [free, busy] = [await freePort(), await freePort()];
    const blocker = await occupy(busy);
    const stops: string[] = [];
    @Service()
    class Pool { onStop() { stops.push('pool'); } }
    let error: unknown;
    try {
      await Lokstra.run({
        apps: [
          { name: 'api', address: `127.0.0.1:${free}`, routes: [{ method: 'GET', path: '/fast', handler: 'fast' }] },
          { name: 'admin', address: `127.0.0.1:${busy}`, routes: [{ method: 'GET', path: '/fast', handler: 'fast' }] },
        ],
      }, { modules: [slowModule(0), defineModule({ name: 'p', services: [Pool] })], handleSignals: false });
    } catch (err) {
      error = err;
    }
    blocker.close();
    expect(LokstraError.is(error)).toBe(true);
    const err = error as LokstraError;
    expect(err.code).toBe('LKS_ERR_CONFIG_LISTEN_FAILED');
    expect(err.params).toMatchObject({ app: 'admin', address: `127.0.0.1:${busy}`, detail: 'EADDRINUSE' });
    expect(stops).toEqual(['pool']);
    const again = await occupy(free);
    again.close();
  });
});

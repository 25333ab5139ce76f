import 'reflect-metadata';
import { request } from 'node:http';
import { Context, Lokstra, type LokstraHandle } from '../../../src/index';
import { memoryLogger } from '../../helpers/memory-logger';

// Fastify's request.signal aborts as soon as a request body has been read (Node >= 16 emits the
// request's 'close' then), and its handler timer is cleared at that moment. ctx.signal must not.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function boot(globalTimeout: string | undefined): Promise<LokstraHandle> {
  const lk = new Lokstra({ logger: memoryLogger() });
  const app = lk.app('api', '127.0.0.1:0');
  const seen = async (ctx: Context) => { await sleep(30); return { aborted: ctx.signal.aborted }; };
  app.post('/seen', seen);
  app.get('/seen', seen);
  app.post('/slow', async () => { await sleep(1500); return 'late'; }, ...(globalTimeout === undefined ? [{ name: 'timeout', config: { duration: '300ms' } }] as never[] : []));
  app.post('/gone', async (ctx: Context) => {
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
    gone.push('aborted');
    return 'never sent';
  });
  const h = await lk.run(globalTimeout === undefined ? {} : { server: { global_setting: { handler_timeout: globalTimeout } } } as never);
  return h;
}
const gone: string[] = [];

describe.each([['a global handler_timeout', '300ms'], ['a route timeout middleware', undefined]])('ctx.signal with %s', (_what, globalTimeout) => {
  let h: LokstraHandle;
  beforeAll(async () => { h = await boot(globalTimeout); });
  afterAll(async () => { await h.close(); });
  const url = () => h.apps[0]!.url as string;

  it('is not aborted in a POST handler once the body has been read', async () => {
    const res = await fetch(`${url()}/seen`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(((await res.json()) as { data: unknown }).data).toEqual({ aborted: false });
  });

  it('answers 503 when a POST handler outlives its timeout', async () => {
    const res = await fetch(`${url()}/slow`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(res.status).toBe(503);
  });

  it('is aborted when the client goes away mid-request', async () => {
    gone.length = 0;
    await new Promise<void>((resolve) => {
      const req = request(`${url()}/gone`, { method: 'POST', headers: { 'content-type': 'application/json' } });
      req.on('error', () => resolve());
      req.end('{"a":1}', () => setTimeout(() => { req.destroy(); resolve(); }, 100));
    });
    for (let i = 0; i < 50 && gone.length === 0; i++) await sleep(20);
    expect(gone).toEqual(['aborted']);
  });
});

it('is not aborted in a POST handler without any timeout configured', async () => {
  const lk = new Lokstra({ logger: memoryLogger() });
  lk.app('api', '127.0.0.1:0').post('/seen', async (ctx: Context) => { await sleep(30); return { aborted: ctx.signal.aborted }; });
  const h = await lk.run({});
  try {
    const res = await fetch(`${h.apps[0]!.url}/seen`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(((await res.json()) as { data: unknown }).data).toEqual({ aborted: false });
  } finally {
    await h.close();
  }
});

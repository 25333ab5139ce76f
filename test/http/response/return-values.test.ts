import 'reflect-metadata';
import { Readable } from 'node:stream';
import { Context, Get, Lokstra, Module, Route, type LokstraHandle } from '../../../src/index';
import { body, memoryLogger } from '../binding/harness';

// SPEC §5.3: what a handler's return value becomes.

@Route('/ctl')
class ReturnController {
  @Get('/object') object() { return { id: 1 }; }
  @Get('/async-object') async asyncObject() { return { id: 2 }; }
  @Get('/undefined') nothing(): void { /* returns undefined */ }
  @Get('/async-undefined') async asyncNothing(): Promise<void> { /* resolves undefined */ }
  @Get('/response') response(ctx: Context) { return ctx.okCreated({ id: 3 }); }
  @Get('/async-response') async asyncResponse(ctx: Context) { return ctx.errorForbidden('no'); }
}

@Module({ controllers: [ReturnController] })
class ReturnModule {}

let h: LokstraHandle;
beforeAll(async () => {
  const lk = new Lokstra({ modules: [ReturnModule], logger: memoryLogger() });
  const app = lk.app('api', ':0');
  app.mount(ReturnModule);
  app.get('/fn/object', () => ({ id: 1 }));
  app.get('/fn/array', () => [1, 2]);
  app.get('/fn/string', () => 'hello');
  app.get('/fn/number', () => 0);
  app.get('/fn/false', () => false);
  app.get('/fn/null', () => null);
  app.get('/fn/undefined', () => undefined);
  app.get('/fn/async-undefined', async () => undefined);
  app.get('/fn/response', (ctx: Context) => ctx.okCreated({ id: 3 }));
  app.get('/fn/buffer', () => Buffer.from([0xde, 0xad, 0xbe, 0xef]));
  app.get('/fn/stream', () => Readable.from(['a', 'b', 'c']));
  app.get('/fn/sent', (ctx: Context) => { void ctx.reply.code(299).header('content-type', 'text/plain').send('manual'); });
  app.get('/fn/sent-and-returned', (ctx: Context) => { void ctx.reply.code(299).header('content-type', 'text/plain').send('manual'); return { ignored: true }; });
  h = await lk.build({});
});
afterAll(async () => { await h.close(); });

const get = (url: string) => h.apps[0]!.inject({ method: 'GET', url });

describe('plain values become ok(value)', () => {
  it.each([
    ['/fn/object', { id: 1 }],
    ['/ctl/object', { id: 1 }],
    ['/ctl/async-object', { id: 2 }],
    ['/fn/array', [1, 2]],
    ['/fn/string', 'hello'],
    ['/fn/number', 0],
    ['/fn/false', false],
  ])('wraps the value returned by %s in a 200 OK envelope', async (url, data) => {
    const res = await get(url);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(body(res)).toEqual({ code: 'OK', success: true, data });
  });

  it('wraps a returned null as "data": null', async () => {
    const res = await get('/fn/null');
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('{"code":"OK","success":true,"data":null}');
  });
});

describe('undefined becomes 204', () => {
  it.each(['/fn/undefined', '/fn/async-undefined', '/ctl/undefined', '/ctl/async-undefined'])('answers %s with 204 and no body', async (url) => {
    const res = await get(url);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
  });
});

describe('Responses, buffers and streams', () => {
  it.each(['/fn/response', '/ctl/response'])('sends a returned Response as is (%s)', async (url) => {
    const res = await get(url);
    expect(res.statusCode).toBe(201);
    expect(body(res)).toEqual({ code: 'CREATED', success: true, data: { id: 3 } });
  });

  it('sends a Response resolved by an async method as is', async () => {
    const res = await get('/ctl/async-response');
    expect(res.statusCode).toBe(403);
    expect(body(res)).toMatchObject({ code: 'FORBIDDEN', success: false });
  });

  it('sends a returned Buffer raw', async () => {
    const res = await get('/fn/buffer');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.rawPayload).toEqual(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
  });

  it('sends a returned stream raw', async () => {
    const res = await get('/fn/stream');
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('abc');
  });
});

describe('handlers that send themselves', () => {
  it('sends nothing more when the handler already sent the reply', async () => {
    const res = await get('/fn/sent');
    expect(res.statusCode).toBe(299);
    expect(res.body).toBe('manual');
  });

  it('ignores the return value when the handler already sent the reply', async () => {
    const res = await get('/fn/sent-and-returned');
    expect(res.statusCode).toBe(299);
    expect(res.body).toBe('manual');
  });
});

import 'reflect-metadata';
import { IsInt, Max } from 'class-validator';
import { Context, defineModule, Get, Inject, Lokstra, LokstraError, Module, Query, Route } from '../../src/index';

async function app(handlers: Record<string, (ctx: Context) => unknown>, routes: string[], global: Record<string, unknown> = {}) {
  const h = await Lokstra.build({
    server: { global_setting: global },
    apps: [{ name: 'api', address: ':0', routes: routes.map((r) => ({ method: 'GET' as const, path: `/${r}`, handler: r })) }],
  }, { modules: [defineModule({ name: 'm', handlers })] });
  return { h, inject: h.apps[0]!.inject };
}

describe('request context', () => {
  it('keeps a sane client x-request-id and replaces an unsafe one', async () => {
    const { h, inject } = await app({ id: (ctx) => ctx.requestId }, ['id']);
    expect((await inject({ url: '/id', headers: { 'x-request-id': 'abc-123' } })).json().data).toBe('abc-123');
    const forged = (await inject({ url: '/id', headers: { 'x-request-id': 'a b\u001b[31m' } })).json().data as string;
    expect(forged).toMatch(/^[A-Za-z0-9_-]{12}-[0-9a-z]+$/);
    const long = (await inject({ url: '/id', headers: { 'x-request-id': 'x'.repeat(129) } })).json().data as string;
    expect(long).toMatch(/^[A-Za-z0-9_-]{12}-[0-9a-z]+$/);
    // Generated ids: one random prefix per process, then a counter — never repeated.
    const ids = await Promise.all(Array.from({ length: 50 }, async () => (await inject('/id')).json().data as string));
    expect(new Set(ids).size).toBe(50);
    expect(new Set(ids.map((id) => id.slice(0, 12))).size).toBe(1);
    await h.close();
  });

  it('applies ctx.with* to a plain return value', async () => {
    const { h, inject } = await app({ plain: (ctx) => { ctx.withHeader('x-a', '1').withMessage('hi'); return { v: 1 }; } }, ['plain']);
    const res = await inject('/plain');
    expect(res.headers['x-a']).toBe('1');
    expect(res.json()).toEqual({ code: 'OK', success: true, message: 'hi', data: { v: 1 } });
    await h.close();
  });

  it('keeps per-request values with get/set', async () => {
    const { h, inject } = await app({ kv: (ctx) => ctx.set('k', 7).get('k') }, ['kv']);
    expect((await inject('/kv')).json().data).toBe(7);
    await h.close();
  });

  it('aborts ctx.signal and answers 503 when the handler timeout passes', async () => {
    let aborted = false;
    const { h, inject } = await app({
      slow: async (ctx) => {
        ctx.signal.addEventListener('abort', () => { aborted = true; });
        await new Promise((r) => setTimeout(r, 300));
        return 'late';
      },
    }, ['slow'], { handler_timeout: '50ms' });
    const res = await inject('/slow');
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('SERVICE_UNAVAILABLE');
    expect(aborted).toBe(true);
    await h.close();
  });

  it('reports every failing field at once: conversion failures and rule failures together', async () => {
    class Paging {
      @Query('page') @IsInt() page?: number;
      @Query('size') @IsInt() @Max(100) size?: number;
    }
    @Route('/p')
    class P { @Get('/') list(ctx: Context, req: Paging) { return ctx.ok(req); } }
    @Module({ controllers: [P] })
    class M {}
    const h = await Lokstra.build({ apps: [{ name: 'api', address: ':0' }] }, { modules: [M] });
    const res = await h.apps[0]!.inject('/p?page=abc&size=500');
    expect(res.json().meta.constraints).toEqual({ page: ['isNumber'], size: ['max'] });
    await h.close();
  });

  it('fails boot for a handler parameter without type metadata (as tsx/esbuild compile it)', async () => {
    @Route('/t')
    class T { @Get('/') list() { return 1; } }
    // Simulate a compiler that emits no design:paramtypes: a one-parameter method with no metadata.
    Object.defineProperty(T.prototype, 'list', { value: function list(_x: unknown) { return 1; } });
    Reflect.deleteMetadata('design:paramtypes', T.prototype, 'list');
    @Module({ controllers: [T] })
    class M {}
    const err = await Lokstra.build({ apps: [{ name: 'api', address: ':0' }] }, { modules: [M] }).catch((e: LokstraError) => e);
    expect((err as LokstraError).code).toBe('LKS_ERR_DECORATOR_UNBOUND_PARAM');
  });

  it('rejects @Inject on a property at decoration time', () => {
    expect(() => {
      class X { @(Inject('a') as PropertyDecorator) a?: unknown; }
      return X;
    }).toThrow(TypeError);
  });
});

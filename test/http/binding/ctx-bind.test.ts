import 'reflect-metadata';
import { IsEmail, IsInt, IsOptional, IsString } from 'class-validator';
import { Body, Context, Header, Lokstra, LokstraError, Path, Query, type LokstraHandle } from '../../../src/index';
import { body, FORM, JSON_CT, memoryLogger } from './harness';

// SPEC §4.2: ctx.bindPath/bindQuery/bindHeader/bindBody/bindBodySmart/bindAll/bindAllSmart, into DTO
// classes, DTO instances, and plain objects used as maps.

class PathDto {
  @Path('id') id!: number;
}

class QueryDto {
  @Query('page') page?: number;
  @Query('tags', { type: 'string' }) tags?: string[];
}

class HeaderDto {
  @Header('x-tenant') tenant?: string;
  @Header('x-count') count?: number;
}

class ProfileDto {
  @IsEmail() email!: string;
  @IsString() name!: string;
  @IsOptional() @IsInt() age?: number;
}

class UserRequest {
  @Path('id') id!: number;
  @Query('page') page?: number;
  @Header('x-tenant') tenant?: string;
  @Body('name') @IsString() name!: string;
}

const plain = (o: object): Record<string, unknown> => ({ isInstanceOf: o.constructor.name, ...o });

let h: LokstraHandle;
const lines = memoryLogger();

beforeAll(async () => {
  const lk = new Lokstra({ logger: lines });
  const app = lk.app('api', ':0');
  app.get('/path/:id', async (ctx: Context) => ctx.ok(plain(await ctx.bindPath(PathDto))));
  app.get('/query', async (ctx: Context) => ctx.ok(plain(await ctx.bindQuery(QueryDto))));
  app.get('/query-instance', async (ctx: Context) => {
    const target = new QueryDto();
    const bound = await ctx.bindQuery(target);
    return ctx.ok({ same: bound === target, page: target.page });
  });
  app.get('/header', async (ctx: Context) => ctx.ok(plain(await ctx.bindHeader(HeaderDto))));
  app.post('/body', async (ctx: Context) => ctx.ok(plain(await ctx.bindBody(ProfileDto))));
  app.post('/body-smart', async (ctx: Context) => ctx.ok(plain(await ctx.bindBodySmart(ProfileDto))));
  app.post('/all/:id', async (ctx: Context) => ctx.ok(plain(await ctx.bindAll(UserRequest))));
  app.post('/all-smart/:id', async (ctx: Context) => ctx.ok(plain(await ctx.bindAllSmart(UserRequest))));

  app.get('/map/query', async (ctx: Context) => ctx.ok(await ctx.bindQuery({})));
  app.get('/map/header', async (ctx: Context) => ctx.ok(await ctx.bindHeader<Record<string, unknown>>({})));
  app.post('/map/body', async (ctx: Context) => ctx.ok(await ctx.bindBody({})));
  app.post('/map/all/:id', async (ctx: Context) => ctx.ok(await ctx.bindAll<Record<string, unknown>>({})));
  app.post('/map/all-smart/:id', async (ctx: Context) => ctx.ok(await ctx.bindAllSmart<Record<string, unknown>>({})));
  app.get('/map/path/:id', async (ctx: Context) => {
    try {
      await ctx.bindPath({});
      return ctx.ok('bound');
    } catch (err) {
      return ctx.ok({ isLokstraError: LokstraError.is(err), code: (err as { code?: unknown }).code });
    }
  });
  app.get('/map/path-uncaught/:id', async (ctx: Context) => ctx.ok(await ctx.bindPath({})));
  app.get('/ok', (ctx: Context) => ctx.ok('up'));
  h = await lk.build({});
});
afterAll(async () => { await h.close(); });

const inject = (o: Parameters<LokstraHandle['apps'][number]['inject']>[0]) => h.apps[0]!.inject(o);

describe('binding into DTO classes', () => {
  it('bindPath converts the path parameter into a fresh PathDto', async () => {
    const res = await inject({ method: 'GET', url: '/path/42' });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toEqual({ isInstanceOf: 'PathDto', id: 42 });
  });

  it('bindPath answers a bad path value with 400', async () => {
    const res = await inject({ method: 'GET', url: '/path/4x2' });
    expect(res.statusCode).toBe(400);
    expect(body(res).code).toBe('VALIDATION_ERROR');
    expect(Object.keys(body(res).errors)).toEqual(['id']);
  });

  it('bindQuery converts query values, arrays included', async () => {
    const res = await inject({ method: 'GET', url: '/query?page=2&tags=a,b' });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toEqual({ isInstanceOf: 'QueryDto', page: 2, tags: ['a', 'b'] });
  });

  it('bindQuery answers ?page=0x10 with 400', async () => {
    const res = await inject({ method: 'GET', url: '/query?page=0x10' });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(body(res).errors)).toEqual(['page']);
  });

  it('bindQuery fills a DTO instance in place and returns it', async () => {
    const res = await inject({ method: 'GET', url: '/query-instance?page=5' });
    expect(body(res).data).toEqual({ same: true, page: 5 });
  });

  it('bindHeader converts headers into a HeaderDto', async () => {
    const res = await inject({ method: 'GET', url: '/header', headers: { 'x-tenant': 'acme', 'x-count': '3' } });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toEqual({ isInstanceOf: 'HeaderDto', tenant: 'acme', count: 3 });
  });

  it('bindHeader answers x-count: yes with 400', async () => {
    const res = await inject({ method: 'GET', url: '/header', headers: { 'x-count': 'yes' } });
    expect(res.statusCode).toBe(400);
  });

  it('bindBody binds and validates a JSON body', async () => {
    const res = await inject({ method: 'POST', url: '/body', headers: JSON_CT, payload: JSON.stringify({ email: 'a@b.co', name: 'Ann', age: 3, isAdmin: true }) });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toEqual({ isInstanceOf: 'ProfileDto', email: 'a@b.co', name: 'Ann', age: 3 });
  });

  it('bindBody answers an invalid JSON body with a 400 VALIDATION_ERROR naming isEmail', async () => {
    const res = await inject({ method: 'POST', url: '/body', headers: JSON_CT, payload: JSON.stringify({ email: 'nope', name: 'Ann' }) });
    expect(res.statusCode).toBe(400);
    expect(body(res).code).toBe('VALIDATION_ERROR');
    expect(body(res).meta.constraints.email).toContain('isEmail');
  });

  it('bindBody answers an urlencoded body with 415', async () => {
    const res = await inject({ method: 'POST', url: '/body', headers: FORM, payload: 'email=a%40b.co&name=Ann' });
    expect(res.statusCode).toBe(415);
    expect(body(res).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('bindBodySmart binds an urlencoded body, converting form fields like strings', async () => {
    const res = await inject({ method: 'POST', url: '/body-smart', headers: FORM, payload: 'email=a%40b.co&name=Ann&age=3&isAdmin=1' });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toEqual({ isInstanceOf: 'ProfileDto', email: 'a@b.co', name: 'Ann', age: 3 });
  });

  it('bindBodySmart binds a JSON body too', async () => {
    const res = await inject({ method: 'POST', url: '/body-smart', headers: JSON_CT, payload: JSON.stringify({ email: 'a@b.co', name: 'Ann' }) });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toEqual({ isInstanceOf: 'ProfileDto', email: 'a@b.co', name: 'Ann' });
  });

  it('bindBodySmart answers age=abc in a form with 400', async () => {
    const res = await inject({ method: 'POST', url: '/body-smart', headers: FORM, payload: 'email=a%40b.co&name=Ann&age=abc' });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(body(res).errors)).toEqual(['age']);
  });

  it('bindAll binds path, query, header and JSON body at once', async () => {
    const res = await inject({ method: 'POST', url: '/all/7?page=2', headers: { ...JSON_CT, 'x-tenant': 'acme' }, payload: JSON.stringify({ name: 'Ann' }) });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toEqual({ isInstanceOf: 'UserRequest', id: 7, page: 2, tenant: 'acme', name: 'Ann' });
  });

  it('bindAll validates (a missing name is a 400)', async () => {
    const res = await inject({ method: 'POST', url: '/all/7', headers: JSON_CT, payload: '{}' });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(body(res).errors)).toEqual(['name']);
  });

  it('bindAllSmart binds the body from an urlencoded form', async () => {
    const res = await inject({ method: 'POST', url: '/all-smart/7?page=2', headers: { ...FORM, 'x-tenant': 'acme' }, payload: 'name=Ann' });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toEqual({ isInstanceOf: 'UserRequest', id: 7, page: 2, tenant: 'acme', name: 'Ann' });
  });
});

describe('binding into maps', () => {
  it('bindQuery into a map takes every key, a repeated key as an array', async () => {
    const res = await inject({ method: 'GET', url: '/map/query?a=1&a=2&b=x' });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toEqual({ a: ['1', '2'], b: 'x' });
  });

  it('rejects __proto__ and constructor query keys with 400 before binding (RELIABILITY A)', async () => {
    const res = await inject({ method: 'GET', url: '/map/query?__proto__=x&constructor=y&__proto__%5Bpolluted%5D=1&a=1' });
    expect(res.statusCode).toBe(400);
    expect(body(res).code).toBe('BAD_REQUEST');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('bindHeader into a map takes every header', async () => {
    const res = await inject({ method: 'GET', url: '/map/header', headers: { 'x-tenant': 'acme', 'x-trace': 't1' } });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toMatchObject({ 'x-tenant': 'acme', 'x-trace': 't1' });
  });

  it('bindBody into a map takes the JSON body fields', async () => {
    const res = await inject({ method: 'POST', url: '/map/body', headers: JSON_CT, payload: JSON.stringify({ a: 1, b: [true] }) });
    expect(body(res).data).toEqual({ a: 1, b: [true] });
  });

  it('bindAll into a map takes query, then headers, then body, the later source winning', async () => {
    const res = await inject({
      method: 'POST', url: '/map/all/9?k=query&onlyQuery=q&both=query', headers: { ...JSON_CT, k: 'header', both: 'header', 'x-h': 'h' },
      payload: JSON.stringify({ k: 'body', onlyBody: 'b' }),
    });
    expect(res.statusCode).toBe(200);
    const data = body(res).data;
    expect(data).toMatchObject({ k: 'body', both: 'header', onlyQuery: 'q', onlyBody: 'b', 'x-h': 'h' });
  });

  it('bindAll into a map skips path parameters', async () => {
    const res = await inject({ method: 'POST', url: '/map/all/9', headers: JSON_CT, payload: '{}' });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).not.toHaveProperty('id');
  });

  it('bindAllSmart into a map takes urlencoded body fields last', async () => {
    const res = await inject({ method: 'POST', url: '/map/all-smart/9?k=query', headers: { ...FORM, k: 'header' }, payload: 'k=body' });
    expect(body(res).data).toMatchObject({ k: 'body' });
  });

  it('bindPath into a map throws a LokstraError with code LKS_ERR_BIND_PATH_MAP', async () => {
    const res = await inject({ method: 'GET', url: '/map/path/9' });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toEqual({ isLokstraError: true, code: 'LKS_ERR_BIND_PATH_MAP' });
  });

  it('answers an uncaught LKS_ERR_BIND_PATH_MAP with a generic 500 envelope and keeps serving', async () => {
    const res = await inject({ method: 'GET', url: '/map/path-uncaught/9' });
    expect(res.statusCode).toBe(500);
    expect(body(res)).toMatchObject({ code: 'INTERNAL_ERROR', success: false });
    expect(res.body).not.toContain('LKS_ERR');
    expect((await inject({ method: 'GET', url: '/ok' })).statusCode).toBe(200);
  });
});

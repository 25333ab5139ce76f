import 'reflect-metadata';
import { IsNotEmpty } from 'class-validator';
import { Body, Context, Get, Header, Module, Post, Query, Route, type LokstraHandle } from '../../../src/index';
import { body, buildApp, FORM } from './harness';

// SPEC §4.3: arrays take repeated keys or a comma list; missing required values are validation errors.

class ArrayQueryDto {
  @Query('tags', { type: 'string' }) tags?: string[];
  @Query('ids', { type: 'number' }) ids?: number[];
  @Query('flags', { type: 'boolean' }) flags?: boolean[];
}

class ArrayFormDto {
  @Body('tags', { type: 'string' }) tags?: string[];
  @Body('ids', { type: 'number' }) ids?: number[];
}

@Route('/arr')
class ArrayController {
  @Get('/param')
  param(@Query('tags', { type: 'string' }) tags?: string[], @Query('ids', { type: 'number' }) ids?: number[], @Query('flags', { type: 'boolean' }) flags?: boolean[]) {
    return { tags: tags ?? 'undefined', ids: ids ?? 'undefined', flags: flags ?? 'undefined' };
  }

  @Get('/dto')
  dto(_ctx: Context, req: ArrayQueryDto) {
    return { tags: req.tags ?? 'undefined', ids: req.ids ?? 'undefined', flags: req.flags ?? 'undefined' };
  }

  @Post('/form-param')
  formParam(@Body('tags', { type: 'string' }) tags?: string[], @Body('ids', { type: 'number' }) ids?: number[]) {
    return { tags: tags ?? 'undefined', ids: ids ?? 'undefined' };
  }

  @Post('/form-dto')
  formDto(_ctx: Context, req: ArrayFormDto) {
    return { tags: req.tags ?? 'undefined', ids: req.ids ?? 'undefined' };
  }

  @Get('/header')
  header(@Header('x-tags', { type: 'string' }) tags?: string[]) {
    return { tags: tags ?? 'undefined' };
  }
}

class RequiredQueryDto {
  @Query('page', { required: true }) page!: number;
}

class RuleRequiredDto {
  @Query('q') @IsNotEmpty() q!: string;
}

const calls = { count: 0 };

@Route('/req')
class RequiredController {
  @Get('/query')
  query(@Query('page', { required: true }) page: number) { calls.count++; return { page }; }

  @Get('/header')
  header(@Header('x-tenant', { required: true }) tenant: string) { calls.count++; return { tenant }; }

  @Post('/form')
  form(@Body('name', { required: true }) name: string) { calls.count++; return { name }; }

  @Get('/dto')
  dto(_ctx: Context, req: RequiredQueryDto) { calls.count++; return { page: req.page }; }

  @Get('/dto-rule')
  dtoRule(_ctx: Context, req: RuleRequiredDto) { calls.count++; return { q: req.q }; }
}

@Module({ controllers: [ArrayController, RequiredController] })
class ArraysModule {}

let h: LokstraHandle;
beforeAll(async () => { h = await buildApp([ArraysModule]); });
afterAll(async () => { await h.close(); });

const get = (url: string, headers: Record<string, string> = {}) => h.apps[0]!.inject({ method: 'GET', url, headers });
const post = (url: string, payload: string) => h.apps[0]!.inject({ method: 'POST', url, headers: FORM, payload });

describe.each(['param', 'dto'] as const)('query arrays on a %s', (target) => {
  const url = `/arr/${target}`;

  it('splits a comma list ?tags=a,b into a string array', async () => {
    const res = await get(`${url}?tags=a,b`);
    expect(res.statusCode).toBe(200);
    expect(body(res).data.tags).toEqual(['a', 'b']);
  });

  it('collects repeated keys ?tags=a&tags=b into a string array', async () => {
    const res = await get(`${url}?tags=a&tags=b`);
    expect(res.statusCode).toBe(200);
    expect(body(res).data.tags).toEqual(['a', 'b']);
  });

  it('wraps a single value ?tags=a into a one-element array', async () => {
    const res = await get(`${url}?tags=a`);
    expect(body(res).data.tags).toEqual(['a']);
  });

  it('converts a comma list ?ids=1,2 to numbers', async () => {
    const res = await get(`${url}?ids=1,2`);
    expect(res.statusCode).toBe(200);
    expect(body(res).data.ids).toEqual([1, 2]);
  });

  it('converts repeated keys ?ids=1&ids=2 to numbers', async () => {
    const res = await get(`${url}?ids=1&ids=2`);
    expect(res.statusCode).toBe(200);
    expect(body(res).data.ids).toEqual([1, 2]);
  });

  it('converts a boolean list ?flags=true,0 to booleans', async () => {
    const res = await get(`${url}?flags=true,0`);
    expect(body(res).data.flags).toEqual([true, false]);
  });

  it.each(['?ids=1,x', '?ids=1&ids=0x10', '?ids=1,,2', '?ids=1,%20 2', '?flags=yes'])('rejects a bad element in %s with 400', async (qs) => {
    const res = await get(`${url}${qs}`);
    expect(res.statusCode).toBe(400);
    expect(body(res).code).toBe('VALIDATION_ERROR');
    expect(Object.keys(body(res).errors)).toContain(qs.includes('flags') ? 'flags' : 'ids');
  });

  it('rejects a NUL byte inside an array element', async () => {
    const res = await get(`${url}?tags=a,b%00c`);
    expect(res.statusCode).toBe(400);
  });

  it('leaves a missing array undefined', async () => {
    const res = await get(url);
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toEqual({ tags: 'undefined', ids: 'undefined', flags: 'undefined' });
  });
});

describe.each(['form-param', 'form-dto'] as const)('urlencoded form arrays on %s', (route) => {
  const url = `/arr/${route}`;

  it('collects repeated form fields tags=a&tags=b', async () => {
    const res = await post(url, 'tags=a&tags=b');
    expect(res.statusCode).toBe(200);
    expect(body(res).data.tags).toEqual(['a', 'b']);
  });

  it('splits a comma list tags=a,b', async () => {
    const res = await post(url, 'tags=a%2Cb');
    expect(body(res).data.tags).toEqual(['a', 'b']);
  });

  it('converts ids=1&ids=2 to numbers', async () => {
    const res = await post(url, 'ids=1&ids=2');
    expect(body(res).data.ids).toEqual([1, 2]);
  });

  it('rejects ids=1&ids=x with 400', async () => {
    const res = await post(url, 'ids=1&ids=x');
    expect(res.statusCode).toBe(400);
    expect(Object.keys(body(res).errors)).toContain('ids');
  });
});

it('splits a comma-separated header into an array', async () => {
  const res = await get('/arr/header', { 'x-tags': 'a,b' });
  expect(res.statusCode).toBe(200);
  expect(body(res).data.tags).toEqual(['a', 'b']);
});

describe('required values', () => {
  it.each([
    ['query parameter', '/req/query', 'page'],
    ['header parameter', '/req/header', 'x-tenant'],
    ['DTO query property', '/req/dto', 'page'],
    ['DTO query property whose class-validator rule requires it', '/req/dto-rule', 'q'],
  ])('rejects a missing required %s with 400 and does not call the handler', async (_what, url, field) => {
    const before = calls.count;
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(body(res).code).toBe('VALIDATION_ERROR');
    expect(Object.keys(body(res).errors)).toEqual([field]);
    expect(Object.keys(body(res).meta.constraints)).toEqual([field]);
    expect(calls.count).toBe(before);
  });

  it('rejects a missing required form field with 400', async () => {
    const before = calls.count;
    const res = await post('/req/form', 'other=1');
    expect(res.statusCode).toBe(400);
    expect(Object.keys(body(res).errors)).toEqual(['name']);
    expect(calls.count).toBe(before);
  });

  it('binds present required values', async () => {
    expect(body(await get('/req/query?page=2')).data).toEqual({ page: 2 });
    expect(body(await get('/req/header', { 'x-tenant': 'acme' })).data).toEqual({ tenant: 'acme' });
    expect(body(await post('/req/form', 'name=Ann')).data).toEqual({ name: 'Ann' });
    expect(body(await get('/req/dto?page=3')).data).toEqual({ page: 3 });
    expect(body(await get('/req/dto-rule?q=x')).data).toEqual({ q: 'x' });
  });

  it('rejects an empty value ?page= for a required number with 400', async () => {
    const res = await get('/req/query?page=');
    expect(res.statusCode).toBe(400);
    expect(Object.keys(body(res).errors)).toEqual(['page']);
  });
});

import 'reflect-metadata';
import { IsInt, IsOptional } from 'class-validator';
import type { LightMyRequestResponse } from 'fastify';
import { Body, Context, Get, Header, Module, Path, Post, Query, Route, type LokstraHandle } from '../../../src/index';
import { body, buildApp, FORM, form } from './harness';

// SPEC §4.3: the conversion table, row by row, for path, query, header and urlencoded form
// fields, on handler parameters and on DTO properties.

interface Shown { type: string; value?: unknown }

/** What the handler saw, in a JSON-safe form (`undefined` and Dates made visible). */
function show(v: unknown): Shown {
  if (v === undefined) return { type: 'undefined' };
  if (v instanceof Date) return { type: 'date', value: Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString() };
  return { type: Array.isArray(v) ? 'array' : typeof v, value: v };
}

@Route('/param')
class ParamController {
  @Get('/path/:num/:bool/:date/:str')
  path(@Path('num') num: number, @Path('bool') bool: boolean, @Path('date') date: Date, @Path('str') str: string) {
    return { num: show(num), bool: show(bool), date: show(date), str: show(str) };
  }

  @Get('/query')
  query(@Query('num') num?: number, @Query('bool') bool?: boolean, @Query('date') date?: Date, @Query('str') str?: string) {
    return { num: show(num), bool: show(bool), date: show(date), str: show(str) };
  }

  @Get('/header')
  header(@Header('x-num') num?: number, @Header('x-bool') bool?: boolean, @Header('x-date') date?: Date, @Header('x-str') str?: string) {
    return { num: show(num), bool: show(bool), date: show(date), str: show(str) };
  }

  @Post('/form')
  form(@Body('num') num?: number, @Body('bool') bool?: boolean, @Body('date') date?: Date, @Body('str') str?: string) {
    return { num: show(num), bool: show(bool), date: show(date), str: show(str) };
  }
}

class PathDto {
  @Path() num!: number;
  @Path() bool!: boolean;
  @Path() date!: Date;
  @Path() str!: string;
  @Path() @IsInt() int!: number;
}

class QueryDto {
  @Query() num?: number;
  @Query() bool?: boolean;
  @Query() date?: Date;
  @Query() str?: string;
  @Query() @IsOptional() @IsInt() int?: number;
}

class HeaderDto {
  @Header('x-num') num?: number;
  @Header('x-bool') bool?: boolean;
  @Header('x-date') date?: Date;
  @Header('x-str') str?: string;
  @Header('x-int') @IsOptional() @IsInt() int?: number;
}

class FormDto {
  @Body() num?: number;
  @Body() bool?: boolean;
  @Body() date?: Date;
  @Body() str?: string;
  @Body() @IsOptional() @IsInt() int?: number;
}

type AnyDto = PathDto | QueryDto | HeaderDto | FormDto;
const showDto = (d: AnyDto) => ({ num: show(d.num), bool: show(d.bool), date: show(d.date), str: show(d.str), int: show(d.int) });

let dtoCalls = 0;

@Route('/dto')
class DtoController {
  @Get('/path/:num/:bool/:date/:str/:int')
  path(_ctx: Context, req: PathDto) { dtoCalls++; return showDto(req); }

  @Get('/query')
  query(_ctx: Context, req: QueryDto) { dtoCalls++; return showDto(req); }

  @Get('/header')
  header(_ctx: Context, req: HeaderDto) { dtoCalls++; return showDto(req); }

  @Post('/form')
  form(_ctx: Context, req: FormDto) { dtoCalls++; return showDto(req); }
}

@Module({ controllers: [ParamController, DtoController] })
class ConversionModule {}

type Source = 'path' | 'query' | 'header' | 'form';
type Target = 'param' | 'dto';
type Kind = 'num' | 'bool' | 'date' | 'str' | 'int';

const PATH_DEFAULTS: Record<Kind, string> = { num: '1', bool: 'true', date: '2024-01-01', str: 's', int: '1' };

let h: LokstraHandle;
beforeAll(async () => { h = await buildApp([ConversionModule]); });
afterAll(async () => { await h.close(); });

/** Sends one raw value for one field, through one source, to a handler parameter or a DTO property. */
function send(target: Target, source: Source, kind: Kind, raw: string): Promise<LightMyRequestResponse> {
  const app = h.apps[0]!;
  const base = `/${target}/${source}`;
  switch (source) {
    case 'path': {
      const kinds: Kind[] = target === 'dto' ? ['num', 'bool', 'date', 'str', 'int'] : ['num', 'bool', 'date', 'str'];
      const segs = kinds.map((k) => encodeURIComponent(k === kind ? raw : PATH_DEFAULTS[k]));
      return app.inject({ method: 'GET', url: `${base}/${segs.join('/')}` });
    }
    case 'query':
      return app.inject({ method: 'GET', url: `${base}?${kind}=${encodeURIComponent(raw)}` });
    case 'header':
      return app.inject({ method: 'GET', url: base, headers: { [`x-${kind}`]: raw } });
    case 'form':
      return app.inject({ method: 'POST', url: base, headers: FORM, payload: form([[kind, raw]]) });
  }
}

/** The key a failure is reported under: the parameter's name, or the DTO property. */
function fieldKey(target: Target, source: Source, kind: Kind): string {
  return target === 'param' && source === 'header' ? `x-${kind}` : kind;
}

interface Row { kind: Kind; raw: string; expected?: Shown; nul?: boolean }

const ACCEPTED: Row[] = [
  { kind: 'num', raw: '3', expected: { type: 'number', value: 3 } },
  { kind: 'num', raw: '-3.5', expected: { type: 'number', value: -3.5 } },
  { kind: 'num', raw: '0', expected: { type: 'number', value: 0 } },
  { kind: 'num', raw: '1e3', expected: { type: 'number', value: 1000 } },
  { kind: 'num', raw: '2.5E-1', expected: { type: 'number', value: 0.25 } },
  { kind: 'bool', raw: 'true', expected: { type: 'boolean', value: true } },
  { kind: 'bool', raw: 'TRUE', expected: { type: 'boolean', value: true } },
  { kind: 'bool', raw: 'True', expected: { type: 'boolean', value: true } },
  { kind: 'bool', raw: '1', expected: { type: 'boolean', value: true } },
  { kind: 'bool', raw: 'false', expected: { type: 'boolean', value: false } },
  { kind: 'bool', raw: 'FALSE', expected: { type: 'boolean', value: false } },
  { kind: 'bool', raw: '0', expected: { type: 'boolean', value: false } },
  { kind: 'date', raw: '2024-01-15', expected: { type: 'date', value: '2024-01-15T00:00:00.000Z' } },
  { kind: 'date', raw: '2024-01-15T10:20:30Z', expected: { type: 'date', value: '2024-01-15T10:20:30.000Z' } },
  { kind: 'date', raw: '2024-01-15T10:20:30.123+02:00', expected: { type: 'date', value: '2024-01-15T08:20:30.123Z' } },
  { kind: 'str', raw: 'hello', expected: { type: 'string', value: 'hello' } },
  // No ajv coercion: strings that look like numbers or booleans stay strings.
  { kind: 'str', raw: '007', expected: { type: 'string', value: '007' } },
  { kind: 'str', raw: 'true', expected: { type: 'string', value: 'true' } },
];

const REJECTED: Row[] = [
  { kind: 'num', raw: '' },
  { kind: 'num', raw: '0x10' },
  { kind: 'num', raw: 'Infinity' },
  { kind: 'num', raw: '-Infinity' },
  { kind: 'num', raw: 'NaN' },
  { kind: 'num', raw: ' 12 ' },
  { kind: 'num', raw: '1e400' },
  { kind: 'num', raw: '+3' },
  { kind: 'num', raw: '.5' },
  { kind: 'num', raw: '3.' },
  { kind: 'num', raw: '1,000' },
  { kind: 'num', raw: '12abc' },
  { kind: 'num', raw: '0b11' },
  { kind: 'bool', raw: 'no' },
  { kind: 'bool', raw: 'yes' },
  { kind: 'bool', raw: 'on' },
  { kind: 'bool', raw: 'off' },
  { kind: 'bool', raw: '' },
  { kind: 'bool', raw: '2' },
  { kind: 'bool', raw: 'truex' },
  { kind: 'date', raw: '2024-13-45' },
  { kind: 'date', raw: 'yesterday' },
  { kind: 'date', raw: '2024-02-30' },
  { kind: 'date', raw: '' },
  { kind: 'date', raw: '1705276800000' },
  { kind: 'date', raw: 'Jan 15 2024' },
  { kind: 'str', raw: 'a\u0000b', nul: true },
  { kind: 'num', raw: '1\u00002', nul: true },
];

// `@IsInt` only exists on DTO properties.
const INT_ACCEPTED: Row[] = [
  { kind: 'int', raw: '42', expected: { type: 'number', value: 42 } },
  { kind: 'int', raw: '9007199254740991', expected: { type: 'number', value: 9007199254740991 } },
  { kind: 'int', raw: '-9007199254740991', expected: { type: 'number', value: -9007199254740991 } },
];
const INT_REJECTED: Row[] = [
  { kind: 'int', raw: '9007199254740993' },
  { kind: 'int', raw: '-9007199254740993' },
  { kind: 'int', raw: '1e16' },
  { kind: 'int', raw: '3.5' },
  { kind: 'int', raw: 'abc' },
];

const LABEL: Record<Kind, string> = { num: 'number', bool: 'boolean', date: 'Date', str: 'string', int: '@IsInt number' };
const q = (s: string): string => JSON.stringify(s);

const MATRIX: [Target, Source][] = [
  ['param', 'path'], ['param', 'query'], ['param', 'header'], ['param', 'form'],
  ['dto', 'path'], ['dto', 'query'], ['dto', 'header'], ['dto', 'form'],
];

describe.each(MATRIX)('%s bound from %s', (target, source) => {
  // An empty path segment never reaches a handler (the route does not match), so "" rows are
  // covered for path by the router, not by conversion.
  const applicable = (r: Row): boolean => !(source === 'path' && r.raw === '');
  const accepted = [...ACCEPTED, ...(target === 'dto' ? INT_ACCEPTED : [])].filter(applicable);
  const rejected = [...REJECTED, ...(target === 'dto' ? INT_REJECTED : [])].filter(applicable);

  it.each(accepted.map((r) => [q(r.raw), LABEL[r.kind], r] as const))('accepts %s for a %s', async (_raw, _label, row) => {
    const res = await send(target, source, row.kind, row.raw);
    expect(res.statusCode).toBe(200);
    expect(body(res).data[row.kind]).toEqual(row.expected);
  });

  it.each(rejected.map((r) => [q(r.raw), LABEL[r.kind], r] as const))('rejects %s for a %s with 400', async (_raw, _label, row) => {
    const before = dtoCalls;
    const res = await send(target, source, row.kind, row.raw);
    expect(res.statusCode).toBe(400);
    if (!row.nul) {
      const b = body(res);
      expect(b.code).toBe('VALIDATION_ERROR');
      expect(b.success).toBe(false);
      expect(Object.keys(b.errors)).toContain(fieldKey(target, source, row.kind));
      expect(Object.keys(b.meta.constraints)).toContain(fieldKey(target, source, row.kind));
    }
    expect(dtoCalls).toBe(before);
  });
});

describe('missing optional values', () => {
  const ALL_UNDEFINED = { num: { type: 'undefined' }, bool: { type: 'undefined' }, date: { type: 'undefined' }, str: { type: 'undefined' } };

  it.each(['param', 'dto'] as const)('leaves absent query values undefined on a %s', async (target) => {
    const res = await h.apps[0]!.inject({ method: 'GET', url: `/${target}/query` });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toMatchObject(ALL_UNDEFINED);
  });

  it.each(['param', 'dto'] as const)('leaves absent headers undefined on a %s', async (target) => {
    const res = await h.apps[0]!.inject({ method: 'GET', url: `/${target}/header` });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toMatchObject(ALL_UNDEFINED);
  });

  it.each(['param', 'dto'] as const)('leaves absent form fields undefined on a %s', async (target) => {
    const res = await h.apps[0]!.inject({ method: 'POST', url: `/${target}/form`, headers: FORM, payload: 'other=1' });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toMatchObject(ALL_UNDEFINED);
  });
});

describe('several values for a scalar target', () => {
  const app = (): LokstraHandle['apps'][number] => h.apps[0]!;

  it.each(['param', 'dto'] as const)('rejects ?num=1&num=2 on a %s', async (target) => {
    const res = await app().inject({ method: 'GET', url: `/${target}/query?num=1&num=2` });
    expect(res.statusCode).toBe(400);
    expect(body(res).code).toBe('VALIDATION_ERROR');
    expect(Object.keys(body(res).errors)).toContain('num');
  });

  it.each(['param', 'dto'] as const)('rejects ?str=a&str=b on a %s instead of picking one', async (target) => {
    const res = await app().inject({ method: 'GET', url: `/${target}/query?str=a&str=b` });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(body(res).errors)).toContain('str');
  });

  it.each(['param', 'dto'] as const)('rejects identical repeated values ?bool=true&bool=true on a %s', async (target) => {
    const res = await app().inject({ method: 'GET', url: `/${target}/query?bool=true&bool=true` });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(body(res).errors)).toContain('bool');
  });

  it.each(['param', 'dto'] as const)('rejects a repeated form field num=1&num=2 on a %s', async (target) => {
    const res = await app().inject({ method: 'POST', url: `/${target}/form`, headers: FORM, payload: 'num=1&num=2' });
    expect(res.statusCode).toBe(400);
    expect(body(res).code).toBe('VALIDATION_ERROR');
    expect(Object.keys(body(res).errors)).toContain('num');
  });

  it.each(['param', 'dto'] as const)('rejects a repeated form field str=a&str=b on a %s', async (target) => {
    const res = await app().inject({ method: 'POST', url: `/${target}/form`, headers: FORM, payload: 'str=a&str=b' });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(body(res).errors)).toContain('str');
  });

  it.each(['param', 'dto'] as const)('rejects a repeated number header on a %s', async (target) => {
    const res = await app().inject({ method: 'GET', url: `/${target}/header`, headers: { 'x-num': ['1', '2'] } });
    expect(res.statusCode).toBe(400);
    expect(body(res).code).toBe('VALIDATION_ERROR');
  });
});

describe('JSON body values are typed, not coerced', () => {
  const postJson = (url: string, payload: string) => h.apps[0]!.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload });

  it.each([
    ['a numeric string for a number', '{"num":"3"}', 'num'],
    ['an array for a number', '{"num":[3]}', 'num'],
    ['a string "true" for a boolean', '{"bool":"true"}', 'bool'],
    ['a number 1 for a boolean', '{"bool":1}', 'bool'],
    ['a number for a string', '{"str":5}', 'str'],
    ['a non-ISO string for a Date', '{"date":"yesterday"}', 'date'],
  ])('rejects %s on a named @Body parameter', async (_what, payload, field) => {
    const res = await postJson('/param/form', payload);
    expect(res.statusCode).toBe(400);
    expect(body(res).code).toBe('VALIDATION_ERROR');
    expect(Object.keys(body(res).errors)).toEqual([field]);
  });

  it('binds correctly typed JSON values on named @Body parameters', async () => {
    const res = await postJson('/param/form', '{"num":3,"bool":false,"date":"2024-01-15","str":"x"}');
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toEqual({
      num: { type: 'number', value: 3 }, bool: { type: 'boolean', value: false },
      date: { type: 'date', value: '2024-01-15T00:00:00.000Z' }, str: { type: 'string', value: 'x' },
    });
  });
});

describe('JSON body values for @IsInt and number fields', () => {
  it('rejects a JSON integer beyond 2^53 for an @IsInt property', async () => {
    const res = await h.apps[0]!.inject({ method: 'POST', url: '/dto/form', headers: { 'content-type': 'application/json' }, payload: '{"int":9007199254740993}' });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(body(res).errors)).toContain('int');
  });

  it('rejects a JSON number that overflows to Infinity (1e400)', async () => {
    const res = await h.apps[0]!.inject({ method: 'POST', url: '/dto/form', headers: { 'content-type': 'application/json' }, payload: '{"num":1e400}' });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(body(res).errors)).toContain('num');
  });

  it('accepts a JSON integer at 2^53-1 for an @IsInt property', async () => {
    const res = await h.apps[0]!.inject({ method: 'POST', url: '/dto/form', headers: { 'content-type': 'application/json' }, payload: '{"int":9007199254740991}' });
    expect(res.statusCode).toBe(200);
    expect(body(res).data.int).toEqual({ type: 'number', value: 9007199254740991 });
  });
});

import 'reflect-metadata';
import { IsBoolean, IsInt, IsOptional, IsString } from 'class-validator';
import { Accepts, Body, Context, Lokstra, Module, Post, Route, type LokstraHandle } from '../../../src/index';
import { body, expectEnvelopeOrder, FORM, JSON_CT, memoryLogger } from './harness';

// SPEC §4.4: JSON and urlencoded bodies, prototype poisoning, nesting depth, content types, 415.

class SignupDto {
  @IsString() name!: string;
  @IsInt() age!: number;
  @IsOptional() @IsBoolean() active?: boolean;
}

const calls = { count: 0 };

@Route('/ctl')
class BodyController {
  @Post('/signup')
  signup(@Body() dto: SignupDto) { calls.count++; return { ...dto }; }

  @Accepts('json') @Post('/json-only')
  jsonOnly(@Body() dto: SignupDto) { calls.count++; return { ...dto }; }

  @Accepts('form') @Post('/form-only')
  formOnly(@Body() dto: SignupDto) { calls.count++; return { ...dto }; }
}

@Accepts('json')
@Route('/json-ctl')
class JsonOnlyController {
  @Post('/signup')
  signup(@Body() dto: SignupDto) { calls.count++; return { ...dto }; }
}

@Module({ controllers: [BodyController, JsonOnlyController] })
class BodyModule {}

let h: LokstraHandle;
beforeAll(async () => {
  const lk = new Lokstra({ modules: [BodyModule], logger: memoryLogger() });
  const app = lk.app('api', ':0');
  app.mount(BodyModule);
  app.post('/echo', (ctx: Context) => { calls.count++; return ctx.ok({ received: true }); });
  app.get('/ok', (ctx: Context) => ctx.ok('up'));
  h = await lk.build({});
});
afterAll(async () => { await h.close(); });

const post = (url: string, payload: string | Buffer, headers: Record<string, string> = JSON_CT) =>
  h.apps[0]!.inject({ method: 'POST', url, headers, payload });

function nestedObjects(levels: number): string {
  return '{"a":'.repeat(levels - 1) + '{}' + '}'.repeat(levels - 1);
}
function nestedArrays(levels: number): string {
  return '['.repeat(levels) + ']'.repeat(levels);
}

describe('malformed and hostile JSON', () => {
  it('answers malformed JSON with a 400 envelope', async () => {
    const before = calls.count;
    const res = await post('/echo', '{"a":');
    expect(res.statusCode).toBe(400);
    expect(body(res)).toMatchObject({ code: 'BAD_REQUEST', success: false });
    expectEnvelopeOrder(res);
    expect(calls.count).toBe(before);
  });

  it.each([
    ['__proto__', '{"__proto__":{"polluted":1}}'],
    ['constructor.prototype', '{"constructor":{"prototype":{"polluted":1}}}'],
    ['a nested __proto__', '{"a":{"b":{"__proto__":{"polluted":1}}}}'],
    ['__proto__ inside an array', '[{"__proto__":{"polluted":1}}]'],
  ])('rejects %s with 400 and pollutes nothing', async (_what, payload) => {
    const before = calls.count;
    const res = await post('/echo', payload);
    expect(res.statusCode).toBe(400);
    expect(body(res).success).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(calls.count).toBe(before);
  });

  it('does not pollute Object.prototype through a __proto__ form field', async () => {
    const res = await post('/echo', '__proto__%5Bpolluted%5D=1&__proto__=x&constructor%5Bprototype%5D%5Bpolluted%5D=1', FORM);
    expect(res.statusCode).toBeLessThan(500);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts JSON nested exactly 64 levels', async () => {
    const res = await post('/echo', nestedObjects(64));
    expect(res.statusCode).toBe(200);
  });

  it.each([
    ['objects nested 65 levels', nestedObjects(65)],
    ['arrays nested 65 levels', nestedArrays(65)],
    ['objects nested 4,000 levels', nestedObjects(4000)],
    ['arrays nested 200,000 levels', nestedArrays(200_000)],
    ['200,000 unclosed [', '['.repeat(200_000)],
  ])('rejects %s with 400, not 500', async (_what, payload) => {
    const before = calls.count;
    const res = await post('/echo', payload);
    expect(res.statusCode).toBe(400);
    expect(body(res).success).toBe(false);
    expect(calls.count).toBe(before);
  });

  it('keeps serving after a deeply nested body', async () => {
    await post('/echo', nestedArrays(200_000));
    expect((await h.apps[0]!.inject({ method: 'GET', url: '/ok' })).statusCode).toBe(200);
  });

  it('rejects a NUL byte inside a JSON string with 400', async () => {
    const res = await post('/ctl/signup', JSON.stringify({ name: 'a\u0000b', age: 1 }));
    expect(res.statusCode).toBe(400);
  });

  it('answers a body over the size limit with a 413 PAYLOAD_TOO_LARGE envelope', async () => {
    const res = await post('/echo', JSON.stringify({ s: 'x'.repeat(1024 * 1024 + 10) }));
    expect(res.statusCode).toBe(413);
    expect(body(res)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', success: false });
    expectEnvelopeOrder(res);
  });
});

describe('content types', () => {
  const signup = JSON.stringify({ name: 'Ann', age: 30, active: true });

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'application/json;charset=UTF-8',
    'APPLICATION/JSON',
  ])('accepts %s', async (ct) => {
    const res = await post('/ctl/signup', signup, { 'content-type': ct });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toEqual({ name: 'Ann', age: 30, active: true });
  });

  it.each([
    ['application/jsonx', signup],
    ['application/json-patch', signup],
    ['text/plain', signup],
    ['text/json', signup],
    ['application/xml', '<a/>'],
    ['multipart/form-data; boundary=XyZ', '--XyZ\r\nContent-Disposition: form-data; name="name"\r\n\r\nAnn\r\n--XyZ--\r\n'],
  ])('answers %s with a 415 envelope and does not call the handler', async (ct, payload) => {
    const before = calls.count;
    const res = await post('/ctl/signup', payload, { 'content-type': ct });
    expect(res.statusCode).toBe(415);
    expect(body(res)).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', success: false });
    expectEnvelopeOrder(res);
    expect(calls.count).toBe(before);
  });

  it('keeps serving after a multipart request', async () => {
    await post('/ctl/signup', '--XyZ--\r\n', { 'content-type': 'multipart/form-data; boundary=XyZ' });
    expect((await h.apps[0]!.inject({ method: 'GET', url: '/ok' })).statusCode).toBe(200);
  });
});

describe('urlencoded forms bind like JSON', () => {
  it('binds name=Ann&age=30&active=true to the same DTO values as the JSON body', async () => {
    const fromJson = await post('/ctl/signup', JSON.stringify({ name: 'Ann', age: 30, active: true }));
    const fromForm = await post('/ctl/signup', 'name=Ann&age=30&active=true', FORM);
    expect(fromForm.statusCode).toBe(200);
    expect(body(fromForm).data).toEqual(body(fromJson).data);
    expect(body(fromForm).data).toEqual({ name: 'Ann', age: 30, active: true });
  });

  it('accepts application/x-www-form-urlencoded; charset=utf-8', async () => {
    const res = await post('/ctl/signup', 'name=Ann&age=30', { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toEqual({ name: 'Ann', age: 30 });
  });

  it('reports a form conversion failure like a JSON one', async () => {
    const res = await post('/ctl/signup', 'name=Ann&age=abc', FORM);
    expect(res.statusCode).toBe(400);
    expect(body(res).code).toBe('VALIDATION_ERROR');
    expect(Object.keys(body(res).errors)).toEqual(['age']);
  });

  it('rejects a NUL byte in a form field with 400', async () => {
    const res = await post('/ctl/signup', 'name=a%00b&age=1', FORM);
    expect(res.statusCode).toBe(400);
  });
});

describe('@Accepts narrows a route or controller', () => {
  it('answers a form body on an @Accepts(\'json\') route with 415 without calling the handler', async () => {
    const before = calls.count;
    const res = await post('/ctl/json-only', 'name=Ann&age=30', FORM);
    expect(res.statusCode).toBe(415);
    expect(body(res).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(calls.count).toBe(before);
  });

  it('accepts JSON on an @Accepts(\'json\') route', async () => {
    const res = await post('/ctl/json-only', JSON.stringify({ name: 'Ann', age: 30 }));
    expect(res.statusCode).toBe(200);
  });

  it('answers a form body on a route of an @Accepts(\'json\') controller with 415', async () => {
    const res = await post('/json-ctl/signup', 'name=Ann&age=30', FORM);
    expect(res.statusCode).toBe(415);
    expect(body(res).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers JSON on an @Accepts(\'form\') route with 415', async () => {
    const res = await post('/ctl/form-only', JSON.stringify({ name: 'Ann', age: 30 }));
    expect(res.statusCode).toBe(415);
  });

  it('accepts a form body on an @Accepts(\'form\') route', async () => {
    const res = await post('/ctl/form-only', 'name=Ann&age=30', FORM);
    expect(res.statusCode).toBe(200);
  });
});

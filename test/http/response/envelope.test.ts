import 'reflect-metadata';
import { Context, Lokstra, type LokstraHandle } from '../../../src/index';
import { body, ENVELOPE_ORDER, memoryLogger } from '../binding/harness';

// SPEC §5.1 and §5.2: envelope shape and key order, undefined/null, chaining in both orders.

type Handler = (ctx: Context) => unknown;

const d = { id: 1, name: 'Ann' };

const ROUTES: Record<string, Handler> = {
  // Every key present, set in reverse contract order, to show the order does not follow the calls.
  allKeys: (ctx) => ctx.ok(d).withErrors({ f: ['e'] }).withMeta({ a: 1 }).withMessage('m'),
  allKeysBefore: (ctx) => ctx.withMeta({ a: 1 }).withMessage('m').errorBadRequest('bad', { f: ['e'] }).withData(d as never),
  okNull: (ctx) => ctx.ok(null),
  okUndefined: (ctx) => ctx.ok(undefined),
  okZero: (ctx) => ctx.ok(0),
  okFalse: (ctx) => ctx.ok(false),
  okEmptyString: (ctx) => ctx.ok(''),
  okNullFields: (ctx) => ctx.ok({ a: null, b: undefined, c: 1 }),
  chainAfter: (ctx) => ctx.ok(d).withMessage('m').withHeader('X-A', '1').withCode('CUSTOM').withStatus(202).withMeta({ a: 1 }),
  chainBefore: (ctx) => ctx.withMessage('m').withHeader('X-A', '1').withCode('CUSTOM').withStatus(202).withMeta({ a: 1 }).ok(d),
  chainMixed: (ctx) => ctx.withMeta({ a: 1 }).withHeader('X-A', '1').ok(d).withMeta({ b: 2 }).withHeader('X-B', '2'),
  errorRestatus: (ctx) => ctx.errorNotFound('gone').withStatus(410).withCode('GONE'),
  errorChainBefore: (ctx) => ctx.withCode('OUT_OF_STOCK').withMeta({ sku: 'a' }).errorConflict('no stock'),
  createdWithHeader: (ctx) => ctx.withHeader('Location', '/users/9').okCreated({ id: 9 }),
};

let h: LokstraHandle;
beforeAll(async () => {
  const lk = new Lokstra({ logger: memoryLogger() });
  const app = lk.app('api', ':0');
  for (const [name, fn] of Object.entries(ROUTES)) app.get(`/${name}`, fn);
  h = await lk.build({});
});
afterAll(async () => { await h.close(); });

const get = (name: keyof typeof ROUTES) => h.apps[0]!.inject({ method: 'GET', url: `/${name}` });

describe('envelope key order', () => {
  it('orders keys exactly code, success, message, data, meta, errors', async () => {
    const res = await get('allKeys');
    expect(Object.keys(JSON.parse(res.body) as object)).toEqual([...ENVELOPE_ORDER]);
  });

  it('orders keys exactly the same on an error built with with* before the helper', async () => {
    const res = await get('allKeysBefore');
    expect(res.statusCode).toBe(400);
    expect(Object.keys(JSON.parse(res.body) as object)).toEqual([...ENVELOPE_ORDER]);
    expect(body(res)).toEqual({ code: 'BAD_REQUEST', success: false, message: 'm', data: d, meta: { a: 1 }, errors: { f: ['e'] } });
  });

  it('writes the keys in that order in the raw JSON text', async () => {
    const res = await get('allKeys');
    expect(res.body.startsWith('{"code":"OK","success":true,"message":"m","data":')).toBe(true);
    expect(res.body.indexOf('"meta"')).toBeLessThan(res.body.indexOf('"errors"'));
  });
});

describe('undefined and null', () => {
  it('keeps "data": null for ok(null)', async () => {
    const res = await get('okNull');
    expect(res.body).toBe('{"code":"OK","success":true,"data":null}');
  });

  it('omits data for ok(undefined)', async () => {
    const res = await get('okUndefined');
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ code: 'OK', success: true });
  });

  it.each([['okZero', 0], ['okFalse', false], ['okEmptyString', '']] as const)('keeps a falsy data value (%s)', async (route, value) => {
    const res = await get(route);
    expect(body(res)).toEqual({ code: 'OK', success: true, data: value });
  });

  it('keeps null fields and drops undefined fields inside data', async () => {
    const res = await get('okNullFields');
    expect(body(res).data).toEqual({ a: null, c: 1 });
    expect(Object.keys(body(res).data)).toEqual(['a', 'c']);
  });

  it('omits message, meta and errors when unset', async () => {
    const res = await get('okNull');
    expect(Object.keys(JSON.parse(res.body) as object)).toEqual(['code', 'success', 'data']);
  });
});

describe('chaining', () => {
  const expected = { code: 'CUSTOM', success: true, message: 'm', data: d, meta: { a: 1 } };

  it('applies withMessage/withHeader/withCode/withStatus/withMeta chained after ok()', async () => {
    const res = await get('chainAfter');
    expect(res.statusCode).toBe(202);
    expect(res.headers['x-a']).toBe('1');
    expect(body(res)).toEqual(expected);
    expect(Object.keys(body(res))).toEqual(['code', 'success', 'message', 'data', 'meta']);
  });

  it('applies the same calls made on ctx before ok()', async () => {
    const res = await get('chainBefore');
    expect(res.statusCode).toBe(202);
    expect(res.headers['x-a']).toBe('1');
    expect(body(res)).toEqual(expected);
    expect(Object.keys(body(res))).toEqual(['code', 'success', 'message', 'data', 'meta']);
  });

  it('merges meta and headers set before and after the helper', async () => {
    const res = await get('chainMixed');
    expect(res.headers['x-a']).toBe('1');
    expect(res.headers['x-b']).toBe('2');
    expect(body(res).meta).toEqual({ a: 1, b: 2 });
  });

  it('lets an error helper be re-statused and re-coded, staying unsuccessful', async () => {
    const res = await get('errorRestatus');
    expect(res.statusCode).toBe(410);
    expect(body(res)).toEqual({ code: 'GONE', success: false, message: 'gone' });
  });

  it('applies a code and meta set before an error helper', async () => {
    const res = await get('errorChainBefore');
    expect(res.statusCode).toBe(409);
    expect(body(res)).toEqual({ code: 'OUT_OF_STOCK', success: false, message: 'no stock', meta: { sku: 'a' } });
  });

  it('applies a header set before okCreated', async () => {
    const res = await get('createdWithHeader');
    expect(res.statusCode).toBe(201);
    expect(res.headers.location).toBe('/users/9');
  });
});

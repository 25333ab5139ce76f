import 'reflect-metadata';
import { Readable } from 'node:stream';
import { Context, Lokstra, type LokstraHandle } from '../../../src/index';
import { body, expectEnvelopeOrder, memoryLogger } from '../binding/harness';

// SPEC §5.2: every helper on ctx, with its status, code and headers.

type Handler = (ctx: Context) => unknown;

const ROUTES: Record<string, Handler> = {
  ok: (ctx) => ctx.ok({ id: 1 }),
  okCreated: (ctx) => ctx.okCreated({ id: 2 }),
  okUpdated: (ctx) => ctx.okUpdated({ id: 3 }),
  okUpdatedMessageAfter: (ctx) => ctx.okUpdated({ id: 3 }).withMessage('changed'),
  okUpdatedMessageBefore: (ctx) => ctx.withMessage('changed').okUpdated({ id: 3 }),
  okNoContent: (ctx) => ctx.okNoContent(),
  okNoContentHeader: (ctx) => ctx.okNoContent().withHeader('X-Done', 'yes'),
  okList: (ctx) => ctx.okList([{ id: 1 }, { id: 2 }], { total: 2, source: 'db' }),
  okListNoMeta: (ctx) => ctx.okList([1, 2]),
  okPaginationMiddle: (ctx) => ctx.okPagination([3, 4], { page: 2, pageSize: 2, total: 5 }),
  okPaginationFirst: (ctx) => ctx.okPagination([1, 2], { page: 1, pageSize: 2, total: 5 }),
  okPaginationLast: (ctx) => ctx.okPagination([5], { page: 3, pageSize: 2, total: 5 }),
  okPaginationEmpty: (ctx) => ctx.okPagination([], { page: 1, pageSize: 10, total: 0 }),
  okPaginationExact: (ctx) => ctx.okPagination([1, 2], { page: 2, pageSize: 2, total: 4 }),
  errorBadRequest: (ctx) => ctx.errorBadRequest('bad input', { q: ['too short'] }),
  errorBadRequestBare: (ctx) => ctx.errorBadRequest('bad input'),
  errorValidation: (ctx) => ctx.errorValidation('invalid', { email: ['must be an email'] }),
  errorUnauthorized: (ctx) => ctx.errorUnauthorized('log in', 'Bearer'),
  errorUnauthorizedBare: (ctx) => ctx.errorUnauthorized('log in'),
  errorForbidden: (ctx) => ctx.errorForbidden('no'),
  errorNotFound: (ctx) => ctx.errorNotFound('no such user'),
  errorConflict: (ctx) => ctx.errorConflict('version mismatch'),
  errorDuplicate: (ctx) => ctx.errorDuplicate('email taken'),
  errorTooManyRequests: (ctx) => ctx.errorTooManyRequests('slow down'),
  errorTooManyRequests30: (ctx) => ctx.errorTooManyRequests('slow down', 30),
  errorInternal: (ctx) => ctx.errorInternal('something broke'),
  errorServiceUnavailable: (ctx) => ctx.errorServiceUnavailable('maintenance'),
  html: (ctx) => ctx.html('<h1>Hi</h1>'),
  text: (ctx) => ctx.text('plain words'),
  raw: (ctx) => ctx.raw('application/xml', Buffer.from('<a>1</a>'), 201),
  rawString: (ctx) => ctx.raw('text/csv', 'a,b\n1,2'),
  stream: (ctx) => ctx.stream(Readable.from(['chunk1-', 'chunk2'])),
  redirect: (ctx) => ctx.redirect('/login'),
  redirect301: (ctx) => ctx.redirect('https://example.com/new', 301, { external: true }),
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

describe('success helpers', () => {
  it('ok(data) answers 200 OK with the data', async () => {
    const res = await get('ok');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(body(res)).toEqual({ code: 'OK', success: true, data: { id: 1 } });
  });

  it('okCreated(data) answers 201 CREATED', async () => {
    const res = await get('okCreated');
    expect(res.statusCode).toBe(201);
    expect(body(res)).toEqual({ code: 'CREATED', success: true, data: { id: 2 } });
  });

  it('okUpdated(data) answers 200 UPDATED with message "Updated successfully"', async () => {
    const res = await get('okUpdated');
    expect(res.statusCode).toBe(200);
    expect(body(res)).toEqual({ code: 'UPDATED', success: true, message: 'Updated successfully', data: { id: 3 } });
    expectEnvelopeOrder(res);
  });

  it.each(['okUpdatedMessageAfter', 'okUpdatedMessageBefore'] as const)('okUpdated keeps a message set by withMessage (%s)', async (route) => {
    const res = await get(route);
    expect(body(res)).toEqual({ code: 'UPDATED', success: true, message: 'changed', data: { id: 3 } });
  });

  it('okNoContent() answers 204 with an empty body', async () => {
    const res = await get('okNoContent');
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
  });

  it('okNoContent() keeps headers added by withHeader', async () => {
    const res = await get('okNoContentHeader');
    expect(res.statusCode).toBe(204);
    expect(res.headers['x-done']).toBe('yes');
    expect(res.body).toBe('');
  });

  it('okList(items, meta) answers 200 OK with the items and the meta', async () => {
    const res = await get('okList');
    expect(res.statusCode).toBe(200);
    expect(body(res)).toEqual({ code: 'OK', success: true, data: [{ id: 1 }, { id: 2 }], meta: { total: 2, source: 'db' } });
    expectEnvelopeOrder(res);
  });

  it('okList(items) without meta omits meta', async () => {
    const res = await get('okListNoMeta');
    expect(body(res)).toEqual({ code: 'OK', success: true, data: [1, 2] });
  });

  it.each([
    ['a middle page', 'okPaginationMiddle', { page: 2, pageSize: 2, total: 5, totalPages: 3, hasNext: true, hasPrev: true }],
    ['the first page', 'okPaginationFirst', { page: 1, pageSize: 2, total: 5, totalPages: 3, hasNext: true, hasPrev: false }],
    ['the last page', 'okPaginationLast', { page: 3, pageSize: 2, total: 5, totalPages: 3, hasNext: false, hasPrev: true }],
    ['an empty result', 'okPaginationEmpty', { page: 1, pageSize: 10, total: 0, totalPages: 0, hasNext: false, hasPrev: false }],
    ['an exactly full last page', 'okPaginationExact', { page: 2, pageSize: 2, total: 4, totalPages: 2, hasNext: false, hasPrev: true }],
  ] as const)('okPagination computes meta.pagination for %s', async (_what, route, pagination) => {
    const res = await get(route);
    expect(res.statusCode).toBe(200);
    const b = body(res);
    expect(b.code).toBe('OK');
    expect(b.success).toBe(true);
    expect(Array.isArray(b.data)).toBe(true);
    expect(b.meta.pagination).toEqual(pagination);
    expect(Object.keys(b.meta.pagination)).toEqual(['page', 'pageSize', 'total', 'totalPages', 'hasNext', 'hasPrev']);
  });
});

describe('error helpers', () => {
  it.each([
    ['errorBadRequest', 400, 'BAD_REQUEST', 'bad input'],
    ['errorBadRequestBare', 400, 'BAD_REQUEST', 'bad input'],
    ['errorValidation', 400, 'VALIDATION_ERROR', 'invalid'],
    ['errorUnauthorized', 401, 'UNAUTHORIZED', 'log in'],
    ['errorForbidden', 403, 'FORBIDDEN', 'no'],
    ['errorNotFound', 404, 'NOT_FOUND', 'no such user'],
    ['errorConflict', 409, 'CONFLICT', 'version mismatch'],
    ['errorDuplicate', 409, 'DUPLICATE', 'email taken'],
    ['errorTooManyRequests', 429, 'TOO_MANY_REQUESTS', 'slow down'],
    ['errorInternal', 500, 'INTERNAL_ERROR', 'something broke'],
    ['errorServiceUnavailable', 503, 'SERVICE_UNAVAILABLE', 'maintenance'],
  ] as const)('%s answers %i %s', async (route, status, code, message) => {
    const res = await get(route);
    expect(res.statusCode).toBe(status);
    const b = body(res);
    expect(b).toMatchObject({ code, success: false, message });
    expect(b).not.toHaveProperty('data');
    expectEnvelopeOrder(res);
  });

  it('errorBadRequest carries its field errors', async () => {
    expect(body(await get('errorBadRequest')).errors).toEqual({ q: ['too short'] });
  });

  it('errorBadRequest without errors omits the errors key', async () => {
    expect(body(await get('errorBadRequestBare'))).not.toHaveProperty('errors');
  });

  it('errorValidation carries its field errors', async () => {
    expect(body(await get('errorValidation')).errors).toEqual({ email: ['must be an email'] });
  });

  it('errorUnauthorized with a scheme sets WWW-Authenticate', async () => {
    const res = await get('errorUnauthorized');
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  it('errorUnauthorized without a known scheme sends no WWW-Authenticate', async () => {
    const res = await get('errorUnauthorizedBare');
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBeUndefined();
  });

  it('errorTooManyRequests sets a Retry-After of whole seconds', async () => {
    const res = await get('errorTooManyRequests');
    expect(String(res.headers['retry-after'])).toMatch(/^\d+$/);
  });

  it('errorTooManyRequests uses the given Retry-After', async () => {
    const res = await get('errorTooManyRequests30');
    expect(res.headers['retry-after']).toBe('30');
  });
});

describe('non-enveloped helpers', () => {
  it('html(str) sends text/html as is', async () => {
    const res = await get('html');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toBe('<h1>Hi</h1>');
  });

  it('text(str) sends text/plain as is', async () => {
    const res = await get('text');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toBe('plain words');
  });

  it('raw(contentType, buf, status) sends the bytes with that type and status', async () => {
    const res = await get('raw');
    expect(res.statusCode).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/xml/);
    expect(res.body).toBe('<a>1</a>');
  });

  it('raw(contentType, string) defaults to 200', async () => {
    const res = await get('rawString');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.body).toBe('a,b\n1,2');
  });

  it('stream(readable) sends the stream content', async () => {
    const res = await get('stream');
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('chunk1-chunk2');
  });

  it('redirect(url) answers 302 with Location and no envelope', async () => {
    const res = await get('redirect');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/login');
    expect(res.body).not.toContain('"code"');
  });

  it('redirect(url, 301) uses the given status', async () => {
    const res = await get('redirect301');
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe('https://example.com/new');
  });
});

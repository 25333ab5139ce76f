import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsOptional, IsString, ValidateNested } from 'class-validator';
import { Context, Get, Lokstra, Path, Raw, Returns, Route, type LokstraHandle } from '../../src/index';
import { memoryLogger, type LogLine } from '../http/binding/harness';

// SPEC-2 §4: `@Returns` sends declared fields only (the leak guard) through a compiled serialiser.

class AddressView {
  @IsString() city!: string;
}

class BaseView {
  @IsInt() id!: number;
}

class UserView extends BaseView {
  @IsString() name!: string;
  @IsOptional() @IsString() nickname?: string | null;
  @IsDate() createdAt!: Date;
  @ValidateNested() @Type(() => AddressView) address!: AddressView;
  @ValidateNested({ each: true }) @Type(() => AddressView) previous!: AddressView[];
}

class Entity {
  constructor(readonly id: number, readonly name: string, readonly password = 'hunter2') {}
  get token(): string { return 'tok-from-getter'; }
}

function user(extra: Record<string, unknown> = {}): Record<string, unknown> {
  // An object whose prototype carries `secret` (inherited, enumerable for `for…in`).
  const proto = { secret: 'inherited-secret', id: 99 };
  const u = Object.create(proto) as Record<string, unknown>;
  Object.assign(u, {
    id: 1, name: 'Ada', password: 'hunter2', createdAt: new Date(0),
    address: { city: 'London', street: 'hidden street' },
    previous: [{ city: 'Paris', postcode: 'hidden-75' }],
    ...extra,
  });
  return u;
}

@Route('/u')
class UserController {
  @Get('/one') @Returns(UserView) one(): unknown { return user(); }
  @Get('/list') @Returns([UserView]) list(ctx: Context): unknown { return ctx.ok([user(), user({ id: 2 })]).withMeta({ total: 2 }); }
  @Get('/created') @Returns(UserView, { status: 201 }) created(ctx: Context): unknown { return ctx.okCreated(user()); }
  @Get('/entity') @Returns(BaseView) entity(): unknown { return new Entity(7, 'x'); }
  @Get('/wrong') @Returns(UserView) wrong(): unknown { return user({ id: 'not-a-number-secret' }); }
  @Get('/missing') @Returns(UserView) missing(): unknown { return { name: 'no id' }; }
  @Get('/null') @Returns(UserView) nothing(ctx: Context): unknown { return ctx.ok(null); }
  @Get('/err/:id') @Returns(UserView) err(@Path('id') id: number): unknown { throw Object.assign(new Error(`boom ${id}`), { password: 'x' }); }
  @Get('/async') @Returns(UserView) async later(): Promise<unknown> { return user(); }
  @Get('/async-wrong') @Returns(UserView) async laterWrong(): Promise<unknown> { return user({ previous: 'nope' }); }
  @Raw() @Get('/raw') @Returns(UserView) raw(): unknown { return user(); }
  @Get('/plain') plain(): unknown { return user(); }
}

let h: LokstraHandle;
const lines: LogLine[] = [];
beforeAll(async () => {
  const lk = new Lokstra({ logger: memoryLogger(lines) });
  lk.app('api', ':0').mount(UserController);
  h = await lk.build({});
});
afterAll(() => h.close());

async function get(url: string): Promise<{ status: number; text: string; json: Record<string, unknown> }> {
  const res = await h.apps[0]!.inject(url);
  return { status: res.statusCode, text: res.body, json: res.json() as Record<string, unknown> };
}

describe('@Returns leak guard', () => {
  it('sends declared fields only: undeclared, nested undeclared and prototype-inherited fields are stripped', async () => {
    const res = await get('/u/one');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      code: 'OK', success: true,
      data: { id: 1, name: 'Ada', createdAt: '1970-01-01T00:00:00.000Z', address: { city: 'London' }, previous: [{ city: 'Paris' }] },
    });
    for (const leak of ['hunter2', 'password', 'inherited-secret', 'hidden street', 'hidden-75', 'postcode']) expect(res.text).not.toContain(leak);
  });

  it('strips every element of an array and keeps meta', async () => {
    const res = await get('/u/list');
    expect(res.json.data).toEqual([expect.objectContaining({ id: 1 }), expect.objectContaining({ id: 2 })]);
    expect(res.json.meta).toEqual({ total: 2 });
    expect(res.text).not.toContain('hunter2');
  });

  it('guards statuses other than the declared one and class instances with getters', async () => {
    expect((await get('/u/created')).status).toBe(201);
    expect((await get('/u/created')).text).not.toContain('hunter2');
    const entity = await get('/u/entity');
    expect(entity.json.data).toEqual({ id: 7 });
    expect(entity.text).not.toMatch(/hunter2|tok-from-getter/);
  });

  it('guards async handlers and envelope-less (@Raw) routes', async () => {
    expect((await get('/u/async')).json.data).toEqual(expect.objectContaining({ id: 1, address: { city: 'London' } }));
    const raw = await get('/u/raw');
    expect(raw.json).toEqual(expect.objectContaining({ id: 1, name: 'Ada' }));
    expect(raw.text).not.toContain('hunter2');
  });

  it('answers 500 without detail when data does not fit the declared types; the detail is only in the log', async () => {
    for (const url of ['/u/wrong', '/u/missing', '/u/async-wrong']) {
      const before = lines.length;
      const res = await get(url);
      expect(res.status).toBe(500);
      expect(res.json).toEqual({ code: 'INTERNAL_ERROR', success: false, message: 'Internal server error' });
      expect(res.text).not.toMatch(/not-a-number|hunter2|required|nope/);
      const logged = lines.slice(before).filter((l) => l.level === 'error');
      expect(JSON.stringify(logged)).toMatch(/cannot be converted|is required|does not match/);
    }
  });

  it('leaves null data, errors and routes without @Returns alone', async () => {
    expect((await get('/u/null')).json).toEqual({ code: 'OK', success: true, data: null });
    const err = await get('/u/err/3');
    expect(err.status).toBe(500);
    expect(err.text).not.toContain('boom');
    expect((await get('/u/plain')).text).toContain('hunter2');
  });
});

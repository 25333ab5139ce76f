import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsArray, IsEmail, IsInt, IsNotEmpty, IsOptional, IsString, Length, Matches, Min, MinLength, Validate, ValidateNested,
  ValidatorConstraint, type ValidatorConstraintInterface,
} from 'class-validator';
import {
  Bind, Body, Context, Get, Header, Lokstra, LokstraError, Module, Patch, Path, Post, Put, Query, Route, bind,
  type LokstraHandle,
} from '../../../src/index';
import { body, buildApp, expectEnvelopeOrder, FORM, JSON_CT, memoryLogger } from './harness';

// SPEC §4.1, §4.4, §4.5: Go-style request DTOs, whole-body DTOs, validation and its envelope.

class UserRequest {
  @Path('id') id!: number;
  @Query('page') page?: number;
  @Header('authorization') authorization?: string;
  @Body('name') @IsString() @IsNotEmpty() name!: string;
}

class CreateUserDto {
  @IsEmail() email!: string;
  @IsString() @Length(2, 50) name!: string;
  @IsOptional() @IsInt() @Min(0) age?: number;
}

class Address {
  @IsString() @IsNotEmpty() city!: string;
  @IsOptional() @IsString() zip?: string;
}

class Dims {
  @IsInt() @Min(1) width!: number;
}

class Item {
  @IsString() sku!: string;
  @IsInt() @Min(1) qty!: number;
  @IsOptional() @ValidateNested() @Type(() => Dims) dims?: Dims;
}

class OrderDto {
  @ValidateNested() @Type(() => Address) address!: Address;
  @IsArray() @ValidateNested({ each: true }) @Type(() => Item) items!: Item[];
}

class LoginDto {
  @IsString() username!: string;
  @IsString() @MinLength(12, { message: 'password "$value" is too short' }) password!: string;
  @IsOptional() @IsString() @Matches(/^k_/, { message: 'apiKey $value is not a key' }) apiKey?: string;
  @IsOptional() @IsString() @MinLength(12, { message: 'confirmation "$value" is too short' }) passwordConfirmation?: string;
}

@ValidatorConstraint({ name: 'isFreeHandle', async: true })
class IsFreeHandle implements ValidatorConstraintInterface {
  async validate(value: unknown): Promise<boolean> {
    await new Promise((r) => setTimeout(r, 1));
    return value !== 'taken';
  }
  defaultMessage(): string { return 'handle is taken'; }
}

class HandleDto {
  @IsString() @Validate(IsFreeHandle) handle!: string;
}

class RenamedDto {
  @Body('full_name') @IsString() fullName!: string;
  @Query('page_size') @IsOptional() @IsInt() pageSize?: number;
}

class NoRulesDto {
  @Query('q') q?: string;
  @Header('x-tenant') tenant?: string;
}

const calls = { update: 0, patch: 0, create: 0, order: 0, login: 0, bound: 0, handle: 0 };

@Route('/users')
class UserController {
  @Put('/:id')
  update(_ctx: Context, req: UserRequest) {
    calls.update++;
    return { isInstance: req instanceof UserRequest, keys: Object.keys(req).sort(), ...req };
  }

  @Patch('/:id')
  patch(@Bind() req: UserRequest) {
    calls.patch++;
    return { isInstance: req instanceof UserRequest, keys: Object.keys(req).sort(), ...req };
  }

  @Post('/')
  create(@Body() dto: CreateUserDto) {
    calls.create++;
    return { isInstance: dto instanceof CreateUserDto, keys: Object.keys(dto).sort(), ...dto };
  }

  @Post('/orders')
  order(@Body() dto: OrderDto) {
    calls.order++;
    return {
      addressIsInstance: dto.address instanceof Address,
      itemsAreInstances: dto.items.every((i) => i instanceof Item),
      addressKeys: Object.keys(dto.address).sort(),
      items: dto.items,
    };
  }

  @Post('/login')
  login(@Body() dto: LoginDto) { calls.login++; return { ok: dto.username }; }

  @Post('/handles')
  handle(@Body() dto: HandleDto) { calls.handle++; return { handle: dto.handle }; }

  @Post('/renamed')
  renamed(_ctx: Context, req: RenamedDto) { return { keys: Object.keys(req).sort(), fullName: req.fullName, pageSize: req.pageSize }; }

  @Get('/no-rules')
  noRules(_ctx: Context, req: NoRulesDto) { return { q: req.q, tenant: req.tenant }; }

  @Get('/case')
  headerCase(@Header('X-Tenant') tenant?: string) { return { tenant }; }
}

@Module({ controllers: [UserController] })
class UsersModule {}

let h: LokstraHandle;
beforeAll(async () => { h = await buildApp([UsersModule]); });
afterAll(async () => { await h.close(); });

const inject = (o: Parameters<LokstraHandle['apps'][number]['inject']>[0]) => h.apps[0]!.inject(o);
const postJson = (url: string, payload: unknown) => inject({ method: 'POST', url, headers: JSON_CT, payload: JSON.stringify(payload) });

describe.each([['an undecorated (ctx, req: UserRequest) handler', 'PUT'], ['a @Bind() parameter', 'PATCH']] as const)('Go-style request DTO through %s', (_how, method) => {
  const counter = method === 'PUT' ? 'update' : 'patch';

  it('binds path, query, header and body fields into a fresh DTO instance', async () => {
    const res = await inject({
      method, url: '/users/7?page=2', headers: { ...JSON_CT, authorization: 'Bearer t0k' }, payload: JSON.stringify({ name: 'Ann' }),
    });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toEqual({
      isInstance: true, keys: ['authorization', 'id', 'name', 'page'], id: 7, page: 2, authorization: 'Bearer t0k', name: 'Ann',
    });
  });

  it('binds the body fields from an urlencoded form the same way', async () => {
    const res = await inject({ method, url: '/users/7?page=2', headers: { ...FORM, authorization: 'Bearer t0k' }, payload: 'name=Ann' });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toMatchObject({ isInstance: true, id: 7, page: 2, authorization: 'Bearer t0k', name: 'Ann' });
  });

  it('leaves an absent optional query and header undefined', async () => {
    const res = await inject({ method, url: '/users/7', headers: JSON_CT, payload: JSON.stringify({ name: 'Ann' }) });
    expect(res.statusCode).toBe(200);
    expect(body(res).data.keys).toEqual(['id', 'name']);
  });

  it('never lets a body field override a path, query or header property', async () => {
    const res = await inject({
      method, url: '/users/7', headers: JSON_CT,
      payload: JSON.stringify({ name: 'Ann', id: 999, page: 5, authorization: 'Bearer forged' }),
    });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toMatchObject({ id: 7, keys: ['id', 'name'] });
  });

  it('strips body properties the DTO does not declare', async () => {
    const res = await inject({ method, url: '/users/7', headers: JSON_CT, payload: JSON.stringify({ name: 'Ann', isAdmin: true }) });
    expect(res.statusCode).toBe(200);
    expect(body(res).data.keys).not.toContain('isAdmin');
  });

  it('rejects a non-numeric path id with 400 and does not call the handler', async () => {
    const before = calls[counter];
    const res = await inject({ method, url: '/users/abc', headers: JSON_CT, payload: JSON.stringify({ name: 'Ann' }) });
    expect(res.statusCode).toBe(400);
    expect(body(res).code).toBe('VALIDATION_ERROR');
    expect(Object.keys(body(res).errors)).toEqual(['id']);
    expect(calls[counter]).toBe(before);
  });

  it('reports conversion and validation failures of several sources together', async () => {
    const res = await inject({ method, url: '/users/abc?page=x', headers: JSON_CT, payload: JSON.stringify({ name: '' }) });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(body(res).errors).sort()).toEqual(expect.arrayContaining(['id', 'page']));
  });

  it('rejects a missing body field required by its rules with 400', async () => {
    const before = calls[counter];
    const res = await inject({ method, url: '/users/7', headers: JSON_CT, payload: '{}' });
    expect(res.statusCode).toBe(400);
    expect(body(res).errors).toHaveProperty('name');
    expect(body(res).meta.constraints.name).toEqual(expect.arrayContaining(['isNotEmpty']));
    expect(calls[counter]).toBe(before);
  });
});

describe('@Body() dto: CreateUserDto', () => {
  it('binds a valid JSON body into a CreateUserDto instance', async () => {
    const res = await postJson('/users', { email: 'ann@example.com', name: 'Ann', age: 30 });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toEqual({ isInstance: true, keys: ['age', 'email', 'name'], email: 'ann@example.com', name: 'Ann', age: 30 });
  });

  it('binds the same DTO from an urlencoded form, converting age to a number', async () => {
    const res = await inject({ method: 'POST', url: '/users', headers: FORM, payload: 'email=ann%40example.com&name=Ann&age=30' });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toEqual({ isInstance: true, keys: ['age', 'email', 'name'], email: 'ann@example.com', name: 'Ann', age: 30 });
  });

  it('strips a mass-assigned isAdmin so it never reaches the handler', async () => {
    const res = await postJson('/users', { email: 'ann@example.com', name: 'Ann', isAdmin: true, role: 'admin' });
    expect(res.statusCode).toBe(200);
    expect(body(res).data.keys).toEqual(['email', 'name']);
    expect(body(res).data).not.toHaveProperty('isAdmin');
  });

  it('strips a mass-assigned isAdmin sent as a form field', async () => {
    const res = await inject({ method: 'POST', url: '/users', headers: FORM, payload: 'email=ann%40example.com&name=Ann&isAdmin=true' });
    expect(res.statusCode).toBe(200);
    expect(body(res).data.keys).toEqual(['email', 'name']);
  });

  it('answers an invalid email with a 400 VALIDATION_ERROR envelope naming the isEmail constraint', async () => {
    const before = calls.create;
    const res = await postJson('/users', { email: 'not-an-email', name: 'Ann' });
    expect(res.statusCode).toBe(400);
    const b = body(res);
    expect(b).toMatchObject({ code: 'VALIDATION_ERROR', success: false });
    expect(Object.keys(b.errors)).toEqual(['email']);
    expect(b.meta.constraints).toEqual({ email: ['isEmail'] });
    expect(calls.create).toBe(before);
    expectEnvelopeOrder(res);
  });

  it('reports every failing field with its constraint names', async () => {
    const res = await postJson('/users', { email: 'x', name: 'A', age: -1 });
    expect(res.statusCode).toBe(400);
    const b = body(res);
    expect(Object.keys(b.errors).sort()).toEqual(['age', 'email', 'name']);
    expect(b.meta.constraints.email).toContain('isEmail');
    expect(b.meta.constraints.name).toContain('isLength');
    expect(b.meta.constraints.age).toContain('min');
  });

  it('serialises only message strings, never class-validator value or target', async () => {
    const res = await postJson('/users', { email: 'x', name: 'A' });
    const b = body(res);
    for (const list of Object.values(b.errors) as unknown[]) {
      expect(Array.isArray(list)).toBe(true);
      for (const m of list as unknown[]) expect(typeof m).toBe('string');
    }
    expect(res.body).not.toMatch(/"(target|value|children)"/);
  });

  it.each([
    ['a numeric string', { age: '3' }],
    ['an array holding a number', { age: [3] }],
    ['a float', { age: 3.5 }],
    ['an integer beyond 2^53', { age: 2 ** 53 + 2 }],
    ['a boolean', { age: true }],
    ['an object', { age: { n: 3 } }],
  ])('rejects %s where an integer is declared, with 400', async (_what, patch) => {
    const before = calls.create;
    const res = await postJson('/users', { email: 'ann@example.com', name: 'Ann', ...patch });
    expect(res.statusCode).toBe(400);
    expect(body(res).code).toBe('VALIDATION_ERROR');
    expect(Object.keys(body(res).errors)).toEqual(['age']);
    expect(calls.create).toBe(before);
  });

  it('rejects a number where a string is declared, with 400', async () => {
    const res = await postJson('/users', { email: 'ann@example.com', name: 12345 });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(body(res).errors)).toEqual(['name']);
  });

  it.each([
    ['no body and no content type', {}],
    ['an empty JSON body', { headers: JSON_CT, payload: '' }],
    ['a JSON null body', { headers: JSON_CT, payload: 'null' }],
    ['a JSON array body', { headers: JSON_CT, payload: '[1,2]' }],
    ['a JSON string body', { headers: JSON_CT, payload: '"ann"' }],
    ['an empty form body', { headers: FORM, payload: '' }],
  ])('rejects %s with 400 and does not call the handler', async (_what, extra) => {
    const before = calls.create;
    const res = await inject({ method: 'POST', url: '/users', ...extra });
    expect(res.statusCode).toBe(400);
    expect(body(res).success).toBe(false);
    expect(calls.create).toBe(before);
  });
});

describe('nested DTOs', () => {
  const valid = { address: { city: 'Oslo' }, items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 2 }, { sku: 'c', qty: 3 }] };

  it('binds nested objects and arrays of objects into their classes', async () => {
    const res = await postJson('/users/orders', valid);
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toMatchObject({ addressIsInstance: true, itemsAreInstances: true });
    expect(body(res).data.items).toEqual(valid.items);
  });

  it('reports a nested failure under address.city', async () => {
    const res = await postJson('/users/orders', { ...valid, address: { city: '' } });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(body(res).errors)).toEqual(['address.city']);
    expect(body(res).meta.constraints['address.city']).toContain('isNotEmpty');
  });

  it('reports an array element failure under items[2].qty', async () => {
    const before = calls.order;
    const items = [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 2 }, { sku: 'c', qty: 0 }];
    const res = await postJson('/users/orders', { ...valid, items });
    expect(res.statusCode).toBe(400);
    expect(body(res).code).toBe('VALIDATION_ERROR');
    expect(Object.keys(body(res).errors)).toEqual(['items[2].qty']);
    expect(body(res).meta.constraints['items[2].qty']).toEqual(['min']);
    expect(calls.order).toBe(before);
  });

  it('reports a failure two levels down under items[1].dims.width', async () => {
    const items = [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 2, dims: { width: 0 } }];
    const res = await postJson('/users/orders', { ...valid, items });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(body(res).errors)).toEqual(['items[1].dims.width']);
    expect(body(res).meta.constraints['items[1].dims.width']).toEqual(['min']);
  });

  it('reports failures of several nested paths together', async () => {
    const items = [{ sku: 1, qty: 1 }, { sku: 'b', qty: 2 }, { sku: 'c', qty: 0 }];
    const res = await postJson('/users/orders', { address: {}, items });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(body(res).errors).sort()).toEqual(['address.city', 'items[0].sku', 'items[2].qty']);
  });

  it('strips undeclared properties of nested objects', async () => {
    const res = await postJson('/users/orders', { ...valid, address: { city: 'Oslo', isAdmin: true } });
    expect(res.statusCode).toBe(200);
    expect(body(res).data.addressKeys).toEqual(['city']);
  });

  it('rejects a string where a nested object is declared, with 400', async () => {
    const res = await postJson('/users/orders', { ...valid, address: 'Oslo' });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(body(res).errors)).toContain('address');
  });
});

describe('renamed source keys', () => {
  it('binds a body key and a query key that differ from the property names', async () => {
    const res = await inject({ method: 'POST', url: '/users/renamed?page_size=20', headers: JSON_CT, payload: JSON.stringify({ full_name: 'Ann Lee' }) });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toEqual({ keys: ['fullName', 'pageSize'], fullName: 'Ann Lee', pageSize: 20 });
  });

  it('does not bind a property from a body key spelled like the property instead of its source key', async () => {
    const res = await inject({
      method: 'POST', url: '/users/renamed', headers: JSON_CT, payload: JSON.stringify({ full_name: 'Ann', fullName: 'forged', pageSize: 999 }),
    });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toEqual({ keys: ['fullName'], fullName: 'Ann' });
  });
});

describe('secret-named fields', () => {
  it('never echoes a password value, even through a $value message', async () => {
    const res = await postJson('/users/login', { username: 'ann', password: 'hunter2-xyz' });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(body(res).errors)).toEqual(['password']);
    expect(res.body).not.toContain('hunter2-xyz');
  });

  it('never echoes an apiKey value, even through a $value message', async () => {
    const res = await postJson('/users/login', { username: 'ann', password: 'long-enough-pass', apiKey: 'sk_live_abc123' });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(body(res).errors)).toEqual(['apiKey']);
    expect(res.body).not.toContain('sk_live_abc123');
  });

  it('never echoes a passwordConfirmation value, even through a $value message', async () => {
    const res = await postJson('/users/login', { username: 'ann', password: 'long-enough-pass', passwordConfirmation: 'hunter2-xyz' });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(body(res).errors)).toEqual(['passwordConfirmation']);
    expect(res.body).not.toContain('hunter2-xyz');
  });

  it('does not call the handler when the secret field fails', async () => {
    const before = calls.login;
    await postJson('/users/login', { username: 'ann', password: 'short' });
    expect(calls.login).toBe(before);
  });
});

describe('async class-validator rules', () => {
  it('awaits an async rule and binds when it passes', async () => {
    const res = await postJson('/users/handles', { handle: 'free' });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toEqual({ handle: 'free' });
  });

  it('answers a failing async rule with 400 naming its constraint, without calling the handler', async () => {
    const before = calls.handle;
    const res = await postJson('/users/handles', { handle: 'taken' });
    expect(res.statusCode).toBe(400);
    expect(body(res).code).toBe('VALIDATION_ERROR');
    expect(body(res).meta.constraints).toEqual({ handle: ['isFreeHandle'] });
    expect(calls.handle).toBe(before);
  });
});

describe('DTOs without class-validator rules', () => {
  it('binds a DTO that has only source decorators without rejecting it as unknown', async () => {
    const res = await inject({ method: 'GET', url: '/users/no-rules?q=x', headers: { 'x-tenant': 'acme' } });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toEqual({ q: 'x', tenant: 'acme' });
  });

  it('matches a header name case-insensitively', async () => {
    const res = await inject({ method: 'GET', url: '/users/case', headers: { 'X-TENANT': 'acme' } });
    expect(body(res).data).toEqual({ tenant: 'acme' });
  });
});

describe('bind(Dto, fn) function handlers', () => {
  let lh: LokstraHandle;
  beforeAll(async () => {
    const lk = new Lokstra({ logger: memoryLogger() });
    const app = lk.app('api', ':0');
    app.put('/users/:id', bind(UserRequest, (ctx: Context, req: UserRequest) => {
      calls.bound++;
      return ctx.ok({ isInstance: req instanceof UserRequest, id: req.id, page: req.page, authorization: req.authorization, name: req.name });
    }));
    lh = await lk.build({});
  });
  afterAll(async () => { await lh.close(); });

  it('binds and validates the named DTO before calling the function', async () => {
    const res = await lh.apps[0]!.inject({
      method: 'PUT', url: '/users/7?page=2', headers: { ...JSON_CT, authorization: 'Bearer t' }, payload: JSON.stringify({ name: 'Ann' }),
    });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toEqual({ isInstance: true, id: 7, page: 2, authorization: 'Bearer t', name: 'Ann' });
  });

  it('answers 400 without calling the function when binding fails', async () => {
    const before = calls.bound;
    const res = await lh.apps[0]!.inject({ method: 'PUT', url: '/users/x', headers: JSON_CT, payload: JSON.stringify({ name: '' }) });
    expect(res.statusCode).toBe(400);
    expect(body(res).code).toBe('VALIDATION_ERROR');
    expect(Object.keys(body(res).errors)).toContain('id');
    expect(calls.bound).toBe(before);
  });
});

describe('boot errors of handler parameters', () => {
  async function bootError(controller: new () => object): Promise<unknown> {
    @Module({ controllers: [controller] })
    class M {}
    return buildApp([M]).then(async (handle) => { await handle.close(); return undefined; }, (err: unknown) => err);
  }

  it('fails boot with LKS_ERR_DECORATOR_UNBOUND_PARAM for an undecorated parameter of a plain type', async () => {
    @Route('/bad')
    class BadController {
      @Get('/') get(_x: string) { return 1; }
    }
    const err = await bootError(BadController);
    expect(LokstraError.is(err)).toBe(true);
    expect((err as LokstraError).code).toBe('LKS_ERR_DECORATOR_UNBOUND_PARAM');
  });

  it('fails boot when a handler parameter uses @Query without a name', async () => {
    @Route('/bad')
    class NoNameController {
      @Get('/') get(@Query() _x?: string) { return 1; }
    }
    const err = await bootError(NoNameController);
    expect(LokstraError.is(err)).toBe(true);
  });

  it('fails boot when @ValidateNested has no @Type', async () => {
    class Inner { @IsString() s!: string; }
    class Outer { @ValidateNested() inner!: Inner; }
    @Route('/bad')
    class NestedController {
      @Post('/') post(@Body() _dto: Outer) { return 1; }
    }
    const err = await bootError(NestedController);
    expect(LokstraError.is(err)).toBe(true);
  });
});

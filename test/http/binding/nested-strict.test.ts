import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsDate, IsNotEmpty, IsOptional, IsString, ValidateNested } from 'class-validator';
import { Body, Module, Post, Route, type LokstraHandle } from '../../../src/index';
import { body, buildApp, JSON_CT } from './harness';

// Issue 11 "Strictness everywhere": nested DTOs get the same strict JSON type checks as top-level
// fields (SPEC §4.3/§4.5), with the nested field path.

class Dims {
  @IsString({ each: true }) tags!: string[];
}

class Item {
  @IsNotEmpty() sku!: string;
  @IsString({ each: true }) tags!: string[];
  @IsOptional() @IsBoolean() gift?: boolean;
  @IsOptional() @IsDate() at?: Date;
  @IsOptional() @ValidateNested() @Type(() => Dims) dims?: Dims;
}

class Order {
  @IsString({ each: true }) tags!: string[];
  @IsNotEmpty() note!: string;
  @IsOptional() @ValidateNested() @Type(() => Item) first?: Item;
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => Item) items?: Item[];
}

class TreeNode {
  @IsNotEmpty() label!: string;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => TreeNode) children?: TreeNode[];
}

const calls = { order: 0 };

@Route('/nested')
class NestedController {
  @Post('/orders')
  order(@Body() dto: Order) {
    calls.order++;
    const first = dto.first;
    return { atIsDate: first?.at instanceof Date, firstIsItem: first instanceof Item, items: dto.items?.length ?? 0 };
  }

  @Post('/one')
  one(@Body('first') first: Item) { return { tags: first.tags }; }

  @Post('/tree')
  tree(@Body() dto: TreeNode) {
    const depth = (n: TreeNode): number => 1 + Math.max(0, ...(n.children ?? []).map(depth));
    return { depth: depth(dto), isNode: dto.children?.[0] instanceof TreeNode };
  }
}

@Module({ controllers: [NestedController] })
class NestedModule {}

let h: LokstraHandle;
beforeAll(async () => { h = await buildApp([NestedModule]); });
afterAll(async () => { await h.close(); });

const post = (url: string, payload: unknown) => h.apps[0]!.inject({ method: 'POST', url, headers: JSON_CT, payload: JSON.stringify(payload) });
const item = (over: Record<string, unknown> = {}) => ({ sku: 'a', tags: ['x'], ...over });
const valid = { tags: ['t'], note: 'n' };

async function expect400(payload: unknown, path: string, constraint: string): Promise<void> {
  const before = calls.order;
  const res = await post('/nested/orders', payload);
  expect(res.statusCode).toBe(400);
  expect(body(res).code).toBe('VALIDATION_ERROR');
  expect(Object.keys(body(res).errors)).toEqual([path]);
  expect(body(res).meta.constraints[path]).toEqual([constraint]);
  expect(calls.order).toBe(before);
}

describe('nested DTOs: strict JSON types at any depth', () => {
  it('accepts a valid nested order', async () => {
    const res = await post('/nested/orders', { ...valid, first: item(), items: [item(), item()] });
    expect(res.statusCode).toBe(200);
    expect(body(res).data).toEqual({ atIsDate: false, firstIsItem: true, items: 2 });
  });

  it('rejects a string where string[] is declared at the top level (reference)', async () => {
    await expect400({ ...valid, tags: 'x' }, 'tags', 'isArray');
  });

  it('rejects a string where string[] is declared in a nested object, under first.tags', async () => {
    await expect400({ ...valid, first: item({ tags: 'x' }) }, 'first.tags', 'isArray');
  });

  it('rejects a string where string[] is declared in an array element, under items[2].tags', async () => {
    await expect400({ ...valid, items: [item(), item(), item({ tags: 'x' })] }, 'items[2].tags', 'isArray');
  });

  it('rejects a wrong type two levels down, under items[1].dims.tags', async () => {
    await expect400({ ...valid, items: [item(), item({ dims: { tags: 'x' } })] }, 'items[1].dims.tags', 'isArray');
  });

  it('rejects a number where a string is declared (no type rule) in a nested object', async () => {
    await expect400({ ...valid, first: item({ sku: 42 }) }, 'first.sku', 'isString');
  });

  it('rejects a string "true" where a boolean is declared in a nested object', async () => {
    await expect400({ ...valid, items: [item({ gift: 'true' })] }, 'items[0].gift', 'isBoolean');
  });

  it('rejects a non-object element of an array of nested DTOs, under items[1]', async () => {
    await expect400({ ...valid, items: [item(), 'x'] }, 'items[1]', 'isObject');
  });

  it('converts an ISO date string in a nested object to a Date, as at the top level', async () => {
    const res = await post('/nested/orders', { ...valid, first: item({ at: '2024-05-01T10:00:00Z' }) });
    expect(res.statusCode).toBe(200);
    expect(body(res).data.atIsDate).toBe(true);
  });

  it('rejects an invalid date in a nested object under its path', async () => {
    await expect400({ ...valid, first: item({ at: '2024-02-30' }) }, 'first.at', 'isDate');
  });

  it('checks a nested DTO bound by @Body(name) on a parameter the same way', async () => {
    const bad = await post('/nested/one', { first: item({ tags: 'x' }) });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(body(bad).errors)).toEqual(['first.tags']);
    const ok = await post('/nested/one', { first: item() });
    expect(body(ok).data).toEqual({ tags: ['x'] });
  });

  it('binds a self-referencing tree and checks every level', async () => {
    const ok = await post('/nested/tree', { label: 'a', children: [{ label: 'b', children: [{ label: 'c' }] }] });
    expect(ok.statusCode).toBe(200);
    expect(body(ok).data).toEqual({ depth: 3, isNode: true });
    const bad = await post('/nested/tree', { label: 'a', children: [{ label: 'b', children: [{ label: 7 }] }] });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(body(bad).errors)).toEqual(['children[0].children[0].label']);
  });
});

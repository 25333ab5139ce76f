// Time to generate the OpenAPI document of an app with N routes (default 1,000): 100 generated
// controllers × N/100 routes, each with a path parameter, a query DTO, a body DTO with nesting and
// a @Returns view. Run from the repository root:
//   node -r ts-node/register/transpile-only bench/scripts/openapi-generation.ts [routes] [runs]
// Prints the first (cold) generation — what the first GET /openapi.json pays — and the median of the
// following runs. Not asserted anywhere (bench/README.md).
import 'reflect-metadata';
// The repository's copies (bench/node_modules has its own, whose metadata Lokstra's src/ would not see).
import { Type } from '../../node_modules/class-transformer';
import { IsEmail, IsEnum, IsInt, IsOptional, IsString, Max, Min, MinLength, ValidateNested } from '../../node_modules/class-validator';
import { Body, Context, Get, Lokstra, Path, Post, Query, Returns, Route, type LokstraHandle } from '../../src/index';
import { buildOpenApiDocument } from '../../src/openapi/index';

enum Kind { A = 'a', B = 'b' }
const ROUTES = Number(process.argv[2] ?? 1000);
const RUNS = Number(process.argv[3] ?? 11);

function makeController(i: number, perController: number): new () => object {
  class Item { @IsString() sku!: string; @IsInt() @Min(1) qty!: number; }
  class Create { @IsString() @MinLength(2) name!: string; @IsEmail() email!: string; @IsEnum(Kind) kind!: Kind; @ValidateNested({ each: true }) @Type(() => Item) items!: Item[]; }
  class ListQuery { @Query('page') @IsOptional() @IsInt() @Min(1) page?: number; @Query('size') @IsOptional() @IsInt() @Max(100) size?: number; }
  class View { @IsInt() id!: number; @IsString() name!: string; @IsOptional() @IsString() note?: string; @ValidateNested({ each: true }) @Type(() => Item) items!: Item[]; }
  for (const c of [Item, Create, ListQuery, View]) Object.defineProperty(c, 'name', { value: `${c.name}${i}` });
  class Ctl {}
  Object.defineProperty(Ctl, 'name', { value: `Gen${i}Controller` });
  const proto = Ctl.prototype as unknown as Record<string, unknown>;
  for (let m = 0; m < perController; m++) {
    const post = m % 2 === 1;
    const name = `op${m}`;
    proto[name] = post ? function create(this: unknown, _id: number, dto: Create, ctx: Context) { return ctx.okCreated(dto); } : function list(this: unknown, _id: number, q: ListQuery) { return q; };
    const desc = Object.getOwnPropertyDescriptor(proto, name) as PropertyDescriptor;
    Reflect.defineMetadata('design:paramtypes', post ? [Number, Create, Context] : [Number, ListQuery], proto, name);
    Path('id')(proto, name, 0);
    if (post) Body()(proto, name, 1);
    (post ? Post : Get)(`/r${m}/:id`)(proto, name, desc);
    Returns(post ? View : [View])(proto, name, desc);
  }
  Route(`/gen${i}`)(Ctl);
  return Ctl;
}

async function main(): Promise<void> {
  const lk = new Lokstra({ handleSignals: false });
  const app = lk.app('api', ':0');
  for (let i = 0; i < 100; i++) app.mount(makeController(i, ROUTES / 100));
  const h: LokstraHandle = await lk.build({ server: { global_setting: { log_level: 'error' } } });
  const routes = h.routes.filter((r) => r.app === 'api');
  const times: number[] = [];
  let paths = 0;
  for (let r = 0; r < RUNS; r++) {
    const t0 = process.hrtime.bigint();
    const doc = buildOpenApiDocument(routes, { app: 'api' });
    const text = JSON.stringify(doc);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    paths = Object.keys(doc.paths).length;
    if (r === 0) console.log(`document: ${paths} paths, ${routes.length} routes, ${(text.length / 1024).toFixed(0)} KiB`);
  }
  const [first, ...rest] = times;
  rest.sort((a, b) => a - b);
  console.log(`first generation (cold, incl. JSON.stringify): ${first?.toFixed(1)} ms; median of ${rest.length} more: ${rest[Math.floor(rest.length / 2)]?.toFixed(1)} ms`);
  await h.close();
}

main().catch((err: unknown) => { console.error(err); process.exit(1); });

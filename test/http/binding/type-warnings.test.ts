import 'reflect-metadata';
import { IsInt, IsNotEmpty, IsObject, IsOptional, IsString } from 'class-validator';
import { Body, Bind, Get, Lokstra, Module, Post, Query, Route, Service, type Class, type LokstraError } from '../../../src/index';
import { memoryLogger, type LogLine } from './harness';

// Issue 11 "Strictness everywhere": boot-time warnings, once each, naming class, member and fix, for
// metadata that silently disables conversion. Transpile-only compilers and late reflect-metadata are
// simulated by deleting the metadata tsc emitted.

async function bootWarnings(modules: Class[]): Promise<LogLine[]> {
  const logger = memoryLogger();
  const h = await Lokstra.build({ apps: [{ name: 'api', address: ':0' }] }, { modules, logger });
  await h.close();
  return logger.lines.filter((l) => l.level === 'warn' && String(l.meta?.code).startsWith('LKS_WARN_'));
}

function stripDesignTypes(cls: Class, ...props: string[]): void {
  for (const p of props) Reflect.deleteMetadata('design:type', cls.prototype as object, p);
}

describe('a bound member whose design:type is Object (a union)', () => {
  class SearchDto {
    @Query('page') page?: number | undefined;
    @Query('size') @IsOptional() @IsInt() size?: number | undefined;
    @Query('sort', { type: 'string' }) sort?: string | null;
    @IsOptional() @IsNotEmpty() note?: string | null;
    @IsOptional() @IsObject() meta?: Record<string, unknown>;
    @IsString() name!: string;
  }

  @Route('/search')
  class SearchController {
    @Get('/') list(@Bind() q: SearchDto) { return q; }
    @Post('/') again(@Bind() q: SearchDto) { return q; }
    @Get('/one') one(@Query('limit') limit: number | undefined) { return { limit }; }
  }

  @Module({ controllers: [SearchController] })
  class SearchModule {}

  let warnings: LogLine[];
  beforeAll(async () => { warnings = await bootWarnings([SearchModule]); });

  it('emits Object metadata for these unions (the premise)', () => {
    expect(Reflect.getMetadata('design:type', SearchDto.prototype, 'page')).toBe(Object);
  });

  it('warns once for a DTO property, naming class, member and fix', () => {
    const page = warnings.filter((w) => w.message.startsWith('SearchDto.page:'));
    expect(page).toHaveLength(1);
    expect(page[0]?.meta?.code).toBe('LKS_WARN_BINDING_TYPE');
    expect(page[0]?.message).toMatch(/design:type is Object/);
    expect(page[0]?.message).toMatch(/declare a single type/);
  });

  it('warns for a body property typed by a union without a type rule', () => {
    expect(warnings.some((w) => w.message.startsWith('SearchDto.note:'))).toBe(true);
  });

  it('warns for a handler parameter, naming the method, index and decorator', () => {
    const param = warnings.filter((w) => w.message.includes("SearchController.one parameter #0 (@Query('limit'))"));
    expect(param).toHaveLength(1);
  });

  it('does not warn when a type option, a type rule or @IsObject types the member', () => {
    const members = warnings.map((w) => w.message.split(':')[0]);
    expect(members).not.toContain('SearchDto.size');
    expect(members).not.toContain('SearchDto.sort');
    expect(members).not.toContain('SearchDto.meta');
    expect(members).not.toContain('SearchDto.name');
  });
});

describe('a class with class-validator rules but no design:type at all', () => {
  it('warns, and says reflect-metadata was likely loaded late when other classes carry metadata', async () => {
    class LateDto {
      @IsString() name!: string;
      @IsOptional() @IsInt() age?: number;
    }
    stripDesignTypes(LateDto, 'name', 'age');
    @Route('/late')
    class LateController {
      @Post('/') create(@Body() dto: LateDto) { return dto; }
    }
    @Module({ controllers: [LateController] })
    class LateModule {}
    const warnings = await bootWarnings([LateModule]);
    const w = warnings.filter((l) => l.meta?.code === 'LKS_WARN_NO_METADATA');
    expect(w).toHaveLength(1);
    expect(w[0]?.message).toMatch(/^LateDto: no design:type metadata .*\(name, age\)/);
    expect(w[0]?.message).toMatch(/'reflect-metadata' was likely imported after this class/);
  });

  it('says emitDecoratorMetadata is likely off when nothing carries metadata', async () => {
    class BareDto {
      @IsString() name!: string;
    }
    stripDesignTypes(BareDto, 'name');
    @Route('/bare')
    class BareController {
      @Post('/') create(@Bind(BareDto) dto: BareDto) { return dto; }
    }
    Reflect.deleteMetadata('design:paramtypes', BareController.prototype, 'create');
    @Module({ controllers: [BareController] })
    class BareModule {}
    const warnings = await bootWarnings([BareModule]);
    const w = warnings.find((l) => l.meta?.code === 'LKS_WARN_NO_METADATA');
    expect(w?.message).toMatch(/^BareDto: .*'emitDecoratorMetadata' is likely off/);
  });

  it('names tsx/esbuild when the process runs under tsx', async () => {
    class TsxDto {
      @IsString() name!: string;
    }
    stripDesignTypes(TsxDto, 'name');
    @Route('/tsx')
    class TsxController {
      @Post('/') create(@Bind(TsxDto) dto: TsxDto, @Query('n') n?: number) { return { dto, n }; }
    }
    Reflect.deleteMetadata('design:paramtypes', TsxController.prototype, 'create');
    @Module({ controllers: [TsxController] })
    class TsxModule {}
    const saved = process.env.NODE_OPTIONS;
    process.env.NODE_OPTIONS = '--import tsx';
    try {
      const warnings = await bootWarnings([TsxModule]);
      const messages = warnings.filter((l) => l.meta?.code === 'LKS_WARN_NO_METADATA').map((l) => l.message);
      expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/^TsxDto: .*tsx\/esbuild/), expect.stringMatching(/^TsxController\.create: .*\(parameter #1 \(@Query\('n'\)\)\).*tsx\/esbuild/)]));
    } finally {
      if (saved === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = saved;
    }
  });
});

describe('a constructor parameter typed Function (import type)', () => {
  it('fails boot naming the class, the parameter and `import type`', async () => {
    class Repo {}
    @Service()
    class UsesRepo { constructor(readonly repo: Repo) {} }
    Reflect.defineMetadata('design:paramtypes', [Function], UsesRepo);
    @Module({ services: [UsesRepo] })
    class RepoModule {}
    const err = await Lokstra.build({ apps: [{ name: 'api', address: ':0' }] }, { modules: [RepoModule], logger: memoryLogger() })
      .then(() => undefined, (e: unknown) => e as LokstraError);
    expect(err?.code).toBe('LKS_ERR_DI_RESOLVE');
    expect(err?.message).toMatch(/UsesRepo/);
    expect(err?.message).toMatch(/parameter #0 has type Function: its class was likely imported with 'import type'/);
  });
});

import type { Names } from './names';

/** What one `lokstra generate <kind>` writes: files (relative to the project) and where the class is registered. */
export interface Generated {
  files: Record<string, string>;
  className: string;
  /** The `@Module` key of src/app.module.ts, if the class is registered there. */
  moduleKey?: 'controllers' | 'services' | 'imports' | 'gateways';
  /** The YAML list of the first app, if the class is mounted there. */
  yamlKey?: 'controllers' | 'gateways';
  /** The source file, relative to src/ (for the import in app.module.ts). */
  main: string;
}

const testHead = (n: Names, file: string, cls: string): string =>
  `import 'reflect-metadata';\nimport { createTestApp, type TestApp } from 'lokstra/testing';\nimport { AppModule } from '../src/app.module.js';\nimport { ${cls} } from '../src/${n.kebab}/${file}.js';\n`;

function controller(n: Names): Generated {
  const cls = `${n.pascal}Controller`;
  const file = `${n.kebab}.controller`;
  return {
    className: cls, moduleKey: 'controllers', yamlKey: 'controllers', main: `${n.kebab}/${file}`,
    files: {
      [`src/${n.kebab}/${file}.ts`]: `import { Get, HttpError, Path, Route } from 'lokstra';

@Route('/${n.kebab}')
export class ${cls} {
  @Get('/')
  list() {
    return [{ id: 1, name: '${n.kebab} 1' }];
  }

  @Get('/:id')
  get(@Path('id') id: number) {
    if (id !== 1) throw HttpError.notFound(\`${n.kebab} \${id} not found\`);
    return { id, name: '${n.kebab} 1' };
  }
}
`,
      [`test/${file}.test.ts`]: `${testHead(n, file, cls)}
describe('${cls}', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('lokstra.config.yaml', { modules: [AppModule] });
  });
  afterAll(() => t.close());

  it('is served', () => {
    expect(t.handle.routes.some((r) => r.handlerName === \`\${${cls}.name}.list\`)).toBe(true);
  });

  it('lists and gets by id', async () => {
    expect((await t.request().get('/${n.kebab}')).expectOk<unknown[]>()).toHaveLength(1);
    expect((await t.request().get('/${n.kebab}/1')).expectOk()).toEqual({ id: 1, name: '${n.kebab} 1' });
  });

  it('answers an unknown id with NOT_FOUND', async () => {
    (await t.request().get('/${n.kebab}/2')).expectError('NOT_FOUND', 404);
  });
});
`,
    },
  };
}

function service(n: Names): Generated {
  const cls = `${n.pascal}Service`;
  const file = `${n.kebab}.service`;
  return {
    className: cls, moduleKey: 'services', main: `${n.kebab}/${file}`,
    files: {
      [`src/${n.kebab}/${file}.ts`]: `import { Service } from 'lokstra';

/** Injected by type: \`constructor(private readonly ${n.camel}: ${cls}) {}\`. */
@Service()
export class ${cls} {
  private readonly items = new Map<number, string>();

  add(name: string): number {
    const id = this.items.size + 1;
    this.items.set(id, name);
    return id;
  }

  find(id: number): string | undefined {
    return this.items.get(id);
  }
}
`,
      [`test/${file}.test.ts`]: `${testHead(n, file, cls)}
describe('${cls}', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('lokstra.config.yaml', { modules: [AppModule] });
  });
  afterAll(() => t.close());

  it('is registered as a singleton', () => {
    expect(t.get(${cls})).toBe(t.get(${cls}));
  });

  it('stores and finds', () => {
    const svc = t.get(${cls});
    expect(svc.find(svc.add('x'))).toBe('x');
  });
});
`,
    },
  };
}

function moduleGen(n: Names): Generated {
  const cls = `${n.pascal}Module`;
  const file = `${n.kebab}.module`;
  return {
    className: cls, moduleKey: 'imports', main: `${n.kebab}/${file}`,
    files: {
      [`src/${n.kebab}/${file}.ts`]: `import { Module } from 'lokstra';

/** The ${n.kebab} feature: list its controllers and services here; AppModule imports it. */
@Module({
  name: '${n.kebab}',
  controllers: [],
  services: [],
})
export class ${cls} {}
`,
      [`test/${file}.test.ts`]: `${testHead(n, file, cls)}
describe('${cls}', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('lokstra.config.yaml', { modules: [AppModule] });
  });
  afterAll(() => t.close());

  it('is imported by AppModule', () => {
    expect(t.handle.registry.modules.has('${n.kebab}')).toBe(true);
    expect(${cls}.name).toBe('${cls}');
  });
});
`,
    },
  };
}

function dto(n: Names): Generated {
  const cls = `${n.pascal}Dto`;
  const file = `${n.kebab}.dto`;
  return {
    className: cls, main: `${n.kebab}/${file}`,
    files: {
      [`src/${n.kebab}/${file}.ts`]: `import { IsInt, IsOptional, IsString, MaxLength, Min, MinLength } from 'class-validator';

/** A request body: \`create(@Body() dto: ${cls})\` converts and validates it (400 VALIDATION_ERROR otherwise). */
export class ${cls} {
  @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @IsOptional() @IsInt() @Min(0) quantity?: number;
}
`,
      [`test/${file}.test.ts`]: `import 'reflect-metadata';
import { Body, Context, Module, Post, Route } from 'lokstra';
import { createTestApp, type TestApp } from 'lokstra/testing';
import { ${cls} } from '../src/${n.kebab}/${file}.js';

@Route('/${n.kebab}-dto-test')
class Echo {
  @Post('/')
  echo(@Body() dto: ${cls}, ctx: Context) {
    return ctx.okCreated(dto);
  }
}

@Module({ controllers: [Echo] })
class EchoModule {}

describe('${cls}', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ apps: [{ name: 'test', address: ':0' }] }, { modules: [EchoModule] });
  });
  afterAll(() => t.close());

  it('accepts a valid body', async () => {
    expect((await t.request().post('/${n.kebab}-dto-test', { name: 'a', quantity: 2 })).expectOk(201)).toEqual({ name: 'a', quantity: 2 });
  });

  it('rejects an invalid body with VALIDATION_ERROR', async () => {
    const env = (await t.request().post('/${n.kebab}-dto-test', { name: '', quantity: -1 })).expectError('VALIDATION_ERROR', 400);
    expect(Object.keys(env.errors ?? {}).sort()).toEqual(['name', 'quantity']);
  });
});
`,
    },
  };
}

function gateway(n: Names): Generated {
  const cls = `${n.pascal}Gateway`;
  const file = `${n.kebab}.gateway`;
  return {
    className: cls, moduleKey: 'gateways', yamlKey: 'gateways', main: `${n.kebab}/${file}`,
    files: {
      [`src/${n.kebab}/${file}.ts`]: `import { Gateway, OnMessage } from 'lokstra';

/** WebSocket messages \`{ type: 'ping', data, id }\` on /ws/${n.kebab}; the return value is sent back as \`ping.result\`. */
@Gateway('/ws/${n.kebab}')
export class ${cls} {
  @OnMessage('ping')
  ping() {
    return { pong: true };
  }
}
`,
      [`test/${file}.test.ts`]: `${testHead(n, file, cls)}
describe('${cls}', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('lokstra.config.yaml', { modules: [AppModule] });
  });
  afterAll(() => t.close());

  it('is registered', () => {
    expect(${cls}.name).toBe('${cls}');
    expect(t.handle.apps.length).toBeGreaterThan(0);
  });
});
`,
    },
  };
}

/** The kinds of `lokstra generate` and their generators. */
export const GENERATORS: Record<string, (n: Names) => Generated> = { controller, service, module: moduleGen, dto, gateway };

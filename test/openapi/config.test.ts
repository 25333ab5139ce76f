import 'reflect-metadata';
import { IsInt } from 'class-validator';
import { Get, Lokstra, LokstraError, Path, Returns, Route, type LokstraConfig } from '../../src/index';
import { memoryLogger } from '../http/binding/harness';

class ItemView { @IsInt() id!: number; }

@Route('/items')
class ItemController {
  @Get('/:id') @Returns(ItemView) get(@Path('id') id: number): unknown { return { id, secret: 's' }; }
}

const build = (openapi: unknown) => Lokstra.build(
  { apps: [{ name: 'api', address: ':0', openapi } as unknown as NonNullable<LokstraConfig['apps']>[number]] },
  { logger: memoryLogger() },
);

describe('openapi: YAML key', () => {
  it('serves the document at a custom path with info from the config, and no UI with ui: false', async () => {
    const lk = new Lokstra({ logger: memoryLogger() });
    lk.registry.controller(ItemController);
    const h = await lk.build({ apps: [{ name: 'api', address: ':0', controllers: ['ItemController'], openapi: { path: '/spec.json', ui: false, title: 'Items', version: '3.0.0', description: 'd', servers: [{ url: 'https://items.example.com', description: 'prod' }] } }] });
    try {
      const res = await h.apps[0]!.inject('/spec.json');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ openapi: '3.1.0', info: { title: 'Items', version: '3.0.0', description: 'd' }, servers: [{ url: 'https://items.example.com', description: 'prod' }] });
      expect(Object.keys(res.json().paths)).toEqual(['/items/{id}']);
      expect((await h.apps[0]!.inject('/docs')).statusCode).toBe(404);
      expect((await h.apps[0]!.inject('/openapi.json')).statusCode).toBe(404);
      expect((await h.apps[0]!.inject('/items/1')).json()).toEqual({ code: 'OK', success: true, data: { id: 1 } });
    } finally {
      await h.close();
    }
  });

  it.each([
    ['an unknown key', { paths: '/x' }],
    ['a path without a leading slash', { path: 'openapi.json' }],
    ['ui: true', { ui: true }],
    ['a server without a url', { servers: [{ description: 'x' }] }],
  ])('rejects %s at boot with LKS_ERR_CONFIG_INVALID', async (_what, openapi) => {
    const err = await build(openapi).then(() => undefined, (e: unknown) => e);
    expect(LokstraError.is(err) && err.code).toBe('LKS_ERR_CONFIG_INVALID');
  });
});

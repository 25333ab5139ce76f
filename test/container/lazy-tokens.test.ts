import 'reflect-metadata';
// lazy-b first: it imports lazy-a, which then sees LazyB still undefined (as ESM/CJS cycles do).
import { LazyB } from './fixtures/lazy-b';
import { LazyA } from './fixtures/lazy-a';
import { defineModule, Inject, Lokstra, Service } from '../../src/index';
import { bootError } from '../helpers/boot-error';

describe('lazy tokens: @Inject(() => Class)', () => {
  it('resolve a class that was undefined when the decorator ran (import cycle across files)', async () => {
    // Without the lazy token nothing says which class: the emitted parameter type is undefined (or Object).
    expect([undefined, Object]).toContain((Reflect.getMetadata('design:paramtypes', LazyA) as unknown[])[0]);
    const h = await Lokstra.build({}, { modules: [defineModule({ name: 'm', services: [LazyA] })] });
    const a = h.getService(LazyA);
    expect(a.b).toBeInstanceOf(LazyB);
    expect(a.b).toBe(h.getService(LazyB));
    expect(a.b.owns(a)).toBe(true);
    await h.close();
  });

  it('report a real constructor cycle as LKS_ERR_DI_CYCLE naming the classes', async () => {
    @Service()
    class Chicken { constructor(@Inject(() => Egg) readonly egg: unknown) {} }
    @Service()
    class Egg { constructor(readonly chicken: Chicken) {} }
    const err = await bootError(Lokstra.build({}, { modules: [defineModule({ name: 'm', services: [Chicken, Egg] })] }));
    expect(err.code).toBe('LKS_ERR_DI_CYCLE');
    expect(err.message).toContain('Chicken -> Egg -> Chicken');
  });

  it('fail boot with a coded error when the thunk returns nothing', async () => {
    const Missing: (new () => object) | undefined = undefined;
    @Service()
    class Needs { constructor(@Inject(() => Missing as never) readonly x: unknown) {} }
    const err = await bootError(Lokstra.build({}, { modules: [defineModule({ name: 'm', services: [Needs] })] }));
    expect(err.code).toBe('LKS_ERR_DI_RESOLVE');
    expect(err.message).toContain('Needs');
  });

  it('hint at @Inject(() => Class) when a constructor parameter type is Object', async () => {
    @Service()
    class Loose { constructor(readonly x: object) {} }
    const err = await bootError(Lokstra.build({}, { modules: [defineModule({ name: 'm', services: [Loose] })] }));
    expect(err.code).toBe('LKS_ERR_DI_RESOLVE');
    expect(err.message).toContain('@Inject(() =>');
  });
});

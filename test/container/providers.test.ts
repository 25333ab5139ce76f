import 'reflect-metadata';
import { defineModule, Inject, Lokstra, Module, Service } from '../../src/index';
import { bootError } from '../helpers/boot-error';

abstract class Mailer {
  abstract send(to: string): string;
}

@Service()
class SmtpMailer extends Mailer {
  send(to: string): string { return `smtp:${to}`; }
}

@Service()
class Clock { now(): number { return 1000; } }

@Service()
class Signup {
  constructor(readonly mailer: Mailer, @Inject('app.name') readonly appName: string, @Inject('stamp') readonly stamp: string) {}
}

describe('module providers: useValue, useFactory, useClass', () => {
  it('bind values, (async) factories with injected dependencies and classes under their tokens', async () => {
    const calls: unknown[] = [];
    @Module({
      services: [Signup],
      providers: [
        { provide: 'app.name', useValue: 'shop' },
        { provide: Mailer, useClass: SmtpMailer },
        {
          provide: 'stamp',
          inject: [Clock, 'app.name'],
          useFactory: async (clock: Clock, name: string) => {
            calls.push(name);
            await new Promise((r) => setImmediate(r));
            return `${name}@${clock.now()}`;
          },
        },
      ],
    })
    class ShopModule {}
    const h = await Lokstra.build({}, { modules: [ShopModule] });
    const signup = h.getService(Signup);
    expect(signup.mailer).toBeInstanceOf(SmtpMailer);
    expect(signup.mailer.send('a@b')).toBe('smtp:a@b');
    expect(signup.appName).toBe('shop');
    expect(signup.stamp).toBe('shop@1000');
    expect(h.getService<string>('stamp')).toBe('shop@1000');
    expect(h.getService(Mailer)).toBe(signup.mailer);
    expect(calls).toEqual(['shop']);
    await h.close();
  });

  it('work in defineModule, honour scope, and can be overridden by token', async () => {
    let made = 0;
    const mod = defineModule({
      name: 'm',
      providers: [
        { provide: 'counter', useFactory: () => ({ n: ++made }), scope: 'transient' },
        { provide: 'app.name', useValue: 'real' },
        Clock,
      ],
    });
    const h = await Lokstra.build({}, { modules: [mod], overrides: { 'app.name': 'fake' } });
    expect(h.getService('counter')).not.toBe(h.getService('counter'));
    expect(h.getService('app.name')).toBe('fake');
    expect(h.getService(Clock).now()).toBe(1000);
    await h.close();
  });

  it('reject a provider without exactly one of useValue/useFactory/useClass, or a missing dependency', async () => {
    const bad = defineModule({ name: 'bad', providers: [{ provide: 'x' } as never] });
    const err = await bootError(Lokstra.build({}, { modules: [bad] }));
    expect(err.code).toBe('LKS_ERR_DI_PROVIDER_INVALID');
    expect(err.message).toContain("'x'");
    const missing = defineModule({ name: 'missing', providers: [{ provide: 'y', useFactory: (v: unknown) => v, inject: ['nope'] }] });
    const err2 = await bootError(Lokstra.build({}, { modules: [missing] }));
    expect(err2.code).toBe('LKS_ERR_DI_NOT_FOUND');
    expect(err2.message).toContain('nope');
  });

  it('report a failing factory with a coded error naming the token', async () => {
    const boom = defineModule({ name: 'boom', providers: [{ provide: 'db', useFactory: async () => { throw new Error('no db'); } }] });
    const err = await bootError(Lokstra.build({}, { modules: [boom] }));
    expect(err.code).toBe('LKS_ERR_DI_RESOLVE');
    expect(err.message).toContain("'db'");
    expect(err.message).toContain('no db');
  });
});

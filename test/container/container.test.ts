import 'reflect-metadata';
import {
  Context, defineModule, Get, Inject, Lokstra, Module, Route, Service,
} from '../../src/index';
import { bootError } from '../helpers/boot-error';

describe('service container', () => {
  it('injects singletons by type and by name, and getService is typed', async () => {
    @Service({ name: 'clock' })
    class Clock { now(): number { return 42; } }
    @Service()
    class Greeter {
      constructor(readonly clock: Clock, @Inject('clock') readonly named: Clock) {}
    }
    const h = await Lokstra.build({}, { modules: [defineModule({ name: 'm', services: [Clock, Greeter] })] });
    const greeter = h.getService(Greeter);
    expect(greeter.clock).toBe(greeter.named);
    expect(h.getService<Clock>('clock')).toBe(greeter.clock);
    expect(greeter.clock.now()).toBe(42);
    await h.close();
  });

  it('creates transient services anew for every resolution', async () => {
    @Service({ scope: 'transient' })
    class Temp {}
    const h = await Lokstra.build({}, { modules: [defineModule({ name: 'm', services: [Temp] })] });
    expect(h.getService(Temp)).not.toBe(h.getService(Temp));
    await h.close();
  });

  it('creates request-scoped services once per request and makes their controllers per-request', async () => {
    let created = 0;
    @Service({ scope: 'request' })
    class RequestState { readonly n = ++created; }
    @Service()
    class Shared {}
    @Route('/rs')
    class RsController {
      constructor(private readonly a: RequestState, private readonly shared: Shared) {}
      @Get('/') get(ctx: Context) {
        const again = ctx.container.get(RequestState);
        return { n: this.a.n, same: again === this.a, shared: this.shared === ctx.container.get(Shared) };
      }
    }
    @Module({ controllers: [RsController], services: [RequestState, Shared] })
    class M {}
    const h = await Lokstra.build({ apps: [{ name: 'api', address: ':0' }] }, { modules: [M] });
    const first = (await h.apps[0]!.inject('/rs')).json();
    const second = (await h.apps[0]!.inject('/rs')).json();
    expect(first.data).toEqual({ n: 1, same: true, shared: true });
    expect(second.data).toEqual({ n: 2, same: true, shared: true });
    expect(h.container.isPerRequest(RsController)).toBe(true);
    await h.close();
  });

  it('rejects a singleton that depends on a request-scoped service (captive dependency)', async () => {
    @Service({ scope: 'request' })
    class PerRequest {}
    @Service()
    class Captive { constructor(readonly p: PerRequest) {} }
    const err = await bootError(Lokstra.build({}, { modules: [defineModule({ name: 'm', services: [PerRequest, Captive] })] }));
    expect(err.code).toBe('LKS_ERR_DI_SCOPE_MISMATCH');
  });

  it('runs onStart in dependency order and onStop in reverse', async () => {
    const events: string[] = [];
    @Service()
    class Db { onStart() { events.push('start db'); } onStop() { events.push('stop db'); } }
    @Service()
    class Repo {
      constructor(readonly db: Db) {}
      async onStart() { await new Promise((r) => setTimeout(r, 5)); events.push('start repo'); }
      dispose() { events.push('stop repo'); }
    }
    @Service()
    class Api { constructor(readonly repo: Repo) {} onStart() { events.push('start api'); } onStop() { events.push('stop api'); } }
    // Registered in reverse on purpose: order comes from dependencies, not registration.
    const h = await Lokstra.build({}, { modules: [defineModule({ name: 'm', services: [Api, Repo, Db] })] });
    expect(events).toEqual(['start db', 'start repo', 'start api']);
    await h.close();
    await h.close();
    expect(events).toEqual(['start db', 'start repo', 'start api', 'stop api', 'stop repo', 'stop db']);
  });

  it('fails boot when onStart hangs, naming the service, and stops what started', async () => {
    const events: string[] = [];
    @Service({ name: 'first' })
    class First { onStart() { events.push('start first'); } onStop() { events.push('stop first'); } }
    @Service({ name: 'stuck' })
    class Stuck { constructor(readonly f: First) {} onStart() { return new Promise(() => undefined); } }
    const err = await bootError(Lokstra.build({ server: { global_setting: { start_timeout: '100ms' } } }, { modules: [defineModule({ name: 'm', services: [First, Stuck] })] }));
    expect(err.code).toBe('LKS_ERR_SERVICE_START_TIMEOUT');
    expect(err.params.name).toBe('stuck');
    expect(events).toEqual(['start first', 'stop first']);
  });

  it('reports a missing dependency with the consumer and the registered names', async () => {
    class NotAService {}
    @Service()
    class Needs { constructor(readonly x: NotAService) {} }
    const err = await bootError(Lokstra.build({}, { modules: [defineModule({ name: 'm', services: [Needs] })] }));
    expect(err.code).toBe('LKS_ERR_DI_NOT_FOUND');
    expect(err.message).toContain('Needs');
  });

  it('reports an unknown injected name', async () => {
    @Service()
    class Needs { constructor(@Inject('db.main') readonly db: unknown) {} }
    const err = await bootError(Lokstra.build({}, { modules: [defineModule({ name: 'm', services: [Needs] })] }));
    expect(err.code).toBe('LKS_ERR_DI_NOT_FOUND');
    expect(err.params.token).toBe('db.main');
  });

  it('auto-registers @Service classes found as dependencies', async () => {
    @Service()
    class Helper {}
    @Service()
    class User { constructor(readonly helper: Helper) {} }
    const h = await Lokstra.build({}, { modules: [defineModule({ name: 'm', services: [User] })] });
    expect(h.getService(User).helper).toBe(h.getService(Helper));
    await h.close();
  });

  it('detects dependency cycles and lists them', async () => {
    const err = await bootError(Lokstra.build({
      services: [
        { name: 'a', type: 'x', depends_on: ['b'] },
        { name: 'b', type: 'x', depends_on: ['a'] },
      ],
    }, { modules: [defineModule({ name: 'm', serviceFactories: { x: () => ({}) } })] }));
    expect(err.code).toBe('LKS_ERR_DI_CYCLE');
    expect(err.message).toMatch(/a -> b -> a|b -> a -> b/);
  });

  it('creates config services from factories in depends_on order, awaiting async factories', async () => {
    const order: string[] = [];
    const factories = {
      'my.store': async (config: Record<string, unknown>, ctx: { name: string; getService: <T>(t: string) => T }) => {
        await new Promise((r) => setTimeout(r, 5));
        order.push(ctx.name);
        const upstream = typeof config.upstream === 'string' ? ctx.getService<{ name: string }>(config.upstream) : undefined;
        return { name: ctx.name, upstream: upstream?.name };
      },
    };
    const h = await Lokstra.build({
      services: [
        { name: 'cache', type: 'my.store', config: { upstream: 'db' }, depends_on: ['db'] },
        { name: 'db', type: 'my.store' },
      ],
    }, { modules: [defineModule({ name: 'm', serviceFactories: factories })] });
    expect(order).toEqual(['db', 'cache']);
    expect(h.getService('cache')).toEqual({ name: 'cache', upstream: 'db' });
    await h.close();
  });

  it('accepts Go bare type names as aliases of lokstra.* factories', async () => {
    const h = await Lokstra.build({ services: [{ name: 'kv', type: 'thing' }] },
      { modules: [defineModule({ name: 'm', serviceFactories: { 'lokstra.thing': () => ({ ok: true }) } })] });
    expect(h.getService('kv')).toEqual({ ok: true });
    await h.close();
  });

  it('reports an unknown factory type with the registered types', async () => {
    const err = await bootError(Lokstra.build({ services: [{ name: 'db', type: 'nope' }] }));
    expect(err.code).toBe('LKS_ERR_DI_UNKNOWN_FACTORY');
  });

  it('replaces services with overrides (for tests)', async () => {
    @Service({ name: 'mailer' })
    class Mailer { send(): string { return 'real'; } }
    @Service()
    class Signup { constructor(readonly mailer: Mailer) {} }
    const fake = { send: () => 'fake' };
    const h = await Lokstra.build({}, { modules: [defineModule({ name: 'm', services: [Mailer, Signup] })], overrides: [[Mailer, fake]] });
    expect(h.getService(Signup).mailer.send()).toBe('fake');
    await h.close();
  });

  it('checks a module\'s requiredServices before it loads', async () => {
    const mod = defineModule({ name: 'billing', requiredServices: ['db.main'] });
    const err = await bootError(Lokstra.build({}, { modules: [mod] }));
    expect(err.code).toBe('LKS_ERR_DI_MODULE_REQUIRES');
    expect(err.params).toMatchObject({ module: 'billing', service: 'db.main' });
  });

  it('accepts a module\'s required service supplied by an override alone', async () => {
    @Service()
    class Invoices { constructor(@Inject('db.main') readonly db: { name: string }) {} }
    const mod = defineModule({ name: 'billing', requiredServices: ['db.main'], services: [Invoices] });
    const h = await Lokstra.build({}, { modules: [mod], overrides: { 'db.main': { name: 'fake' } } });
    expect(h.getService(Invoices).db.name).toBe('fake');
    await h.close();
  });

  it('keeps two Lokstra instances in one process independent', async () => {
    @Service({ name: 'counter' })
    class Counter { n = 0; }
    const m1 = defineModule({ name: 'm', services: [Counter], handlers: { ping: () => 'one' } });
    const m2 = defineModule({ name: 'm', services: [Counter], handlers: { ping: () => 'two' } });
    const a = await Lokstra.build({ apps: [{ name: 'api', address: ':0', routes: [{ method: 'GET', path: '/p', handler: 'ping' }] }] }, { modules: [m1] });
    const b = await Lokstra.build({ apps: [{ name: 'api', address: ':0', routes: [{ method: 'GET', path: '/p', handler: 'ping' }] }] }, { modules: [m2] });
    a.getService(Counter).n = 5;
    expect(b.getService(Counter).n).toBe(0);
    expect((await a.apps[0]!.inject('/p')).json().data).toBe('one');
    expect((await b.apps[0]!.inject('/p')).json().data).toBe('two');
    await Promise.all([a.close(), b.close()]);
  });

  it('reports a constructor parameter without a resolvable type', async () => {
    @Service()
    class Weird { constructor(readonly x: string) {} }
    const err = await bootError(Lokstra.build({}, { modules: [defineModule({ name: 'm', services: [Weird] })] }));
    expect(err.code).toBe('LKS_ERR_DI_RESOLVE');
  });
});

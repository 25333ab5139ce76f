import 'reflect-metadata';
import { defineModule, Inject, Lokstra, LokstraError, Service } from '../../src/index';
import { bootError } from '../helpers/boot-error';
import { freePort } from '../helpers/net';

describe('overrides by name', () => {
  it('replace a YAML pg/redis service without running its factory or opening a connection', async () => {
    // Nothing listens on this port: if the real factory or its onStart ran, boot would fail.
    const dead = await freePort();
    @Service()
    class Repo { constructor(@Inject('db.main') readonly db: unknown, @Inject('cache') readonly cache: unknown) {} }
    const fakeDb = { query: () => 'fake rows' };
    const fakeRedis = { get: () => 'fake value' };
    const h = await Lokstra.build({
      services: [
        { name: 'db.main', type: 'lokstra.dbpool_pg', config: { dsn: `postgres://postgres@127.0.0.1:${dead}/test`, connection_timeout: '200ms' } },
        { name: 'cache', type: 'lokstra.redis', config: { url: `redis://127.0.0.1:${dead}`, connect_timeout: '200ms' } },
      ],
    }, { modules: [defineModule({ name: 'm', services: [Repo] })], overrides: { 'db.main': fakeDb, cache: fakeRedis } });
    expect(h.getService('db.main')).toBe(fakeDb);
    expect(h.getService('cache')).toBe(fakeRedis);
    expect(h.getService(Repo).db).toBe(fakeDb);
    expect(h.getService(Repo).cache).toBe(fakeRedis);
    await h.close();
  });

  it('never calls the factory of an overridden YAML service; services depending on it get the override', async () => {
    const calls: string[] = [];
    const mod = defineModule({
      name: 'factories',
      serviceFactories: {
        'my.pool': (config) => { calls.push(`pool ${String(config.dsn)}`); return { real: true }; },
        'my.cache': (config, ctx) => { calls.push('cache'); return { pool: ctx.getService(String(config.pool)) }; },
      },
    });
    const fake = { fake: true };
    const h = await Lokstra.build({
      services: [
        { name: 'cache', type: 'my.cache', config: { pool: 'db.main' }, depends_on: ['db.main'] },
        { name: 'db.main', type: 'my.pool', config: { dsn: 'x' } },
      ],
    }, { modules: [mod], overrides: new Map([['db.main', fake]]) });
    expect(calls).toEqual(['cache']);
    expect(h.getService<{ pool: unknown }>('cache').pool).toBe(fake);
    await h.close();
  });

  it('replace a named @Service at every injection point (by name and by class), without constructing it', async () => {
    let constructed = 0;
    @Service({ name: 'users.repo' })
    class UserRepo { constructor() { constructed++; } find(): string { return 'real'; } }
    @Service()
    class ByType { constructor(readonly repo: UserRepo) {} }
    @Service()
    class ByName { constructor(@Inject('users.repo') readonly repo: UserRepo) {} }
    const fake = { find: () => 'fake' };
    const h = await Lokstra.build({}, {
      modules: [defineModule({ name: 'm', services: [UserRepo, ByType, ByName] })],
      overrides: { 'users.repo': fake },
    });
    expect(h.getService(ByType).repo).toBe(fake);
    expect(h.getService(ByName).repo).toBe(fake);
    expect(h.getService(UserRepo)).toBe(fake);
    expect(h.getService('users.repo')).toBe(fake);
    expect(constructed).toBe(0);
    await h.close();
  });

  it('replace a named @Service discovered only as a dependency, and by class its name too', async () => {
    @Service({ name: 'mailer' })
    class Mailer { send(): string { return 'real'; } }
    @Service()
    class Signup { constructor(readonly mailer: Mailer) {} }
    @Service()
    class Notify { constructor(@Inject('mailer') readonly mailer: Mailer) {} }
    const fake = { send: () => 'fake' };
    const byName = await Lokstra.build({}, { modules: [defineModule({ name: 'm', services: [Signup] })], overrides: { mailer: fake } });
    expect(byName.getService(Signup).mailer).toBe(fake);
    await byName.close();
    const byClass = await Lokstra.build({}, { modules: [defineModule({ name: 'm', services: [Mailer, Notify] })], overrides: [[Mailer, fake]] });
    expect(byClass.getService(Notify).mailer).toBe(fake);
    expect(byClass.getService('mailer')).toBe(fake);
    await byClass.close();
  });

  it('do not need the dependencies of the service they replace', async () => {
    @Service({ name: 'needs.db' })
    class NeedsDb { constructor(@Inject('db.missing') readonly db: unknown) {} }
    const h = await Lokstra.build({}, { modules: [defineModule({ name: 'm', services: [NeedsDb] })], overrides: { 'needs.db': { ok: true } } });
    expect(h.getService('needs.db')).toEqual({ ok: true });
    await h.close();
  });

  it('run the lifecycle hooks of the override once', async () => {
    const events: string[] = [];
    @Service({ name: 'svc' })
    class Svc {}
    @Service()
    class User { constructor(readonly s: Svc, @Inject('svc') readonly t: Svc) {} }
    const fake = { onStart: () => events.push('start'), onStop: () => events.push('stop') };
    const h = await Lokstra.build({}, { modules: [defineModule({ name: 'm', services: [User] })], overrides: { svc: fake } });
    await h.close();
    expect(events).toEqual(['start', 'stop']);
  });

  it('reject a name that no service has and nothing injects, listing the registered names', async () => {
    @Service({ name: 'users.repo' })
    class UserRepo {}
    const err = await bootError(Lokstra.build({}, { modules: [defineModule({ name: 'm', services: [UserRepo] })], overrides: { 'user.repo': {} } }));
    expect(err.code).toBe('LKS_ERR_DI_NOT_FOUND');
    expect(err.message).toContain('overrides');
    expect(err.message).toContain('users.repo');
  });

  it('never let a raw Inversify message reach the user', async () => {
    const h = await Lokstra.build({});
    h.container.root.bind('twice').toConstantValue(1);
    h.container.root.bind('twice').toConstantValue(2);
    let caught: unknown;
    try {
      h.getService('twice');
    } catch (err) {
      caught = err;
    }
    expect(LokstraError.is(caught)).toBe(true);
    expect((caught as LokstraError).code).toBe('LKS_ERR_DI_DUPLICATE');
    expect((caught as LokstraError).message).not.toMatch(/ambiguous|inversify/i);
    await h.close();
  });
});

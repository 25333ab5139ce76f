import 'reflect-metadata';
import { defineModule, Lokstra, LokstraError } from '../../src/index';

describe('handle.app(name)', () => {
  it('returns the AppHandle of the named app, and a coded error listing the apps otherwise', async () => {
    const mod = defineModule({ name: 'm', handlers: { who: () => 'admin' } });
    const h = await Lokstra.build({
      apps: [
        { name: 'api', address: ':0' },
        { name: 'admin', address: ':0', routes: [{ method: 'GET', path: '/who', handler: 'who' }] },
      ],
    }, { modules: [mod] });
    const admin = h.app('admin');
    expect(admin.name).toBe('admin');
    expect(admin).toBe(h.apps[1]);
    expect((await admin.inject({ method: 'GET', url: '/who' })).json().data).toBe('admin');
    let caught: unknown;
    try {
      h.app('admn');
    } catch (err) {
      caught = err;
    }
    expect(LokstraError.is(caught)).toBe(true);
    expect((caught as LokstraError).code).toBe('LKS_ERR_CONFIG_APP_NOT_FOUND');
    expect((caught as LokstraError).message).toContain('api, admin');
    await h.close();
  });
});

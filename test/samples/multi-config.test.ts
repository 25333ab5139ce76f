import 'reflect-metadata';
import { join } from 'node:path';
import { Lokstra, type LokstraHandle } from '../../src/index';
import { greeter } from '../../samples/multi-config/module';

const CONFIG = join(__dirname, '..', '..', 'samples', 'multi-config', 'config');

async function boot(profile?: string): Promise<LokstraHandle> {
  const prev = process.env.LOKSTRA_ENV;
  if (profile) process.env.LOKSTRA_ENV = profile;
  else delete process.env.LOKSTRA_ENV;
  try {
    return await Lokstra.build(CONFIG, { modules: [greeter] });
  } finally {
    if (prev === undefined) delete process.env.LOKSTRA_ENV;
    else process.env.LOKSTRA_ENV = prev;
  }
}

const table = (h: LokstraHandle) => h.routes.map((r) => `${r.app} ${r.method} ${r.url} [${r.middleware.join(', ')}] -> ${r.handlerName}`).sort();

describe('sample: multi-config (directory + production profile)', () => {
  it('builds the base deployment from three files and an include', async () => {
    const h = await boot();
    expect(h.apps.map((a) => `${a.name}@${a.address}`)).toEqual(['public@0.0.0.0:8090', 'internal@127.0.0.1:8091']);
    expect(table(h)).toEqual([
      'internal GET /stats [] -> stats',
      'public GET /admin/greetings [served_by, require_token] -> stats',
      'public GET /hello [served_by] -> greet',
      'public GET /hello/:name [served_by] -> greet',
    ]);
    expect(h.settings).toMatchObject({ logLevel: 'info', shutdownTimeout: 5000, bodyLimit: 256 * 1024 });
    const pub = h.apps[0]!;
    const hello = await pub.inject('/hello');
    expect(hello.json().data).toEqual({ message: 'Hello, world!' });
    expect(hello.headers['x-served-by']).toBe('greeter');
    expect((await pub.inject('/admin/greetings')).statusCode).toBe(401);
    expect((await pub.inject({ url: '/admin/greetings', headers: { 'x-admin-token': 'dev-token' } })).json().data).toEqual({ served: 1 });
    await h.close();
  });

  it('merges the production profile over it', async () => {
    const h = await boot('production');
    expect(table(h)).toContain('public GET /ready [served_by] -> stats');
    expect(h.settings.logLevel).toBe('warn');
    expect((await h.apps[0]!.inject('/hello/ada')).json().data).toEqual({ message: 'Hello, ada.' });
    await h.close();
  });
});

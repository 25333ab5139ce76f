import 'reflect-metadata';
import { Get, Lokstra, Public, Roles, Route, Scopes, routeAuth, type LokstraHandle } from '../../src/index';
import { captureLogger, SECRET } from './harness';

@Route('/r')
@Roles('member')
class RoutesController {
  @Get('/a') @Scopes('a:read')
  a() { return 1; }

  @Get('/open') @Public()
  open() { return 2; }
}

describe('routeAuth (security of a compiled route, for OpenAPI)', () => {
  let h: LokstraHandle;
  beforeAll(async () => {
    const lk = new Lokstra({ logger: captureLogger().logger, handleSignals: false });
    lk.app('api', ':0')
      .use({ name: 'jwt', config: { secret: SECRET, algorithms: ['HS256'] } }, { name: 'api_key', config: { header: 'x-key', keys: [], optional: true } }, { name: 'rate_limit', config: { max: 5 } })
      .mount(RoutesController);
    h = await lk.build({ server: { global_setting: { log_level: 'error' } } } as never);
  });
  afterAll(() => h.close());
  const of = (url: string) => routeAuth(h.routes.find((r) => r.url === url)!.fastify);

  it('reads schemes with their configured names, roles and scopes from every level, and the statuses', () => {
    const a = of('/r/a');
    expect(a.public).toBe(false);
    expect(a.schemes).toEqual([
      { middleware: 'jwt', scheme: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      { middleware: 'api_key', scheme: { type: 'apiKey', in: 'header', name: 'x-key' } },
    ]);
    expect(a.optional).toBe(false);
    expect(a.roles).toEqual(['member']);
    expect(a.scopes).toEqual(['a:read']);
    expect(a.statuses).toEqual([401, 403, 429]);
  });

  it('marks @Public() routes', () => {
    const open = of('/r/open');
    expect(open.public).toBe(true);
    expect(open.statuses).toEqual([429]);
  });
});

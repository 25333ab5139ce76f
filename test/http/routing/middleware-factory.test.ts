import 'reflect-metadata';
import {
  defineModule, HttpError, Lokstra, Service, type Context, type MiddlewareFactory, type MiddlewareFn,
} from '../../../src/index';
import { memoryLogger } from '../../helpers/memory-logger';

@Service({ name: 'tokens' })
class TokenVerifier {
  verify(token: string | undefined): string | undefined {
    return token === 'Bearer good' ? 'alice' : undefined;
  }
}

// A jwt-like middleware: its factory gets the container (to find the verifier) and the logger.
const jwtLike: MiddlewareFactory = (config, { container, logger, config: same }) => {
  const verifier = container.get<TokenVerifier>(String(config.verifier));
  logger.info('jwt_like built', { same: same === config });
  return async (ctx, next) => {
    const user = verifier.verify(ctx.headers.authorization);
    if (user === undefined) throw HttpError.unauthorized('bad token');
    ctx.set('user', user);
    const res = await next();
    res.withHeader('x-user', user);
    return res;
  };
};

// Back-compat: a factory written as `(config) => fn` keeps working.
const tagOnly = (config: Record<string, unknown>): MiddlewareFn => async (ctx, next) => {
  const res = await next();
  return res.withHeader('x-tag', String(config.tag));
};

describe('middleware factories', () => {
  it('receive { config, container, logger } so a middleware can use a service', async () => {
    const logger = memoryLogger();
    const mod = defineModule({
      name: 'auth',
      services: [TokenVerifier],
      middleware: { jwt_like: jwtLike, tag_only: tagOnly },
      handlers: { me: (ctx: Context) => ({ user: ctx.get('user') }) },
    });
    const h = await Lokstra.build({
      apps: [{
        name: 'api', address: ':0',
        middleware: [{ name: 'jwt_like', config: { verifier: 'tokens' } }, { name: 'tag_only', config: { tag: 't1' } }],
        routes: [{ method: 'GET', path: '/me', handler: 'me' }],
      }],
    }, { modules: [mod], logger });
    const ok = await h.apps[0]!.inject({ method: 'GET', url: '/me', headers: { authorization: 'Bearer good' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().data).toEqual({ user: 'alice' });
    expect(ok.headers['x-user']).toBe('alice');
    expect(ok.headers['x-tag']).toBe('t1');
    const bad = await h.apps[0]!.inject({ method: 'GET', url: '/me', headers: { authorization: 'Bearer bad' } });
    expect(bad.statusCode).toBe(401);
    expect(logger.lines.some((l) => l.message === 'jwt_like built' && l.meta?.same === true)).toBe(true);
    await h.close();
  });

  it('type MiddlewareFn with Context and Response, not any', () => {
    const fn: MiddlewareFn = async (ctx, next) => {
      // @ts-expect-error ctx is a Context: an unknown method is a type error
      ctx.noSuchMethod();
      const res = await next();
      // @ts-expect-error next() resolves to a Response: an unknown field is a type error
      return res.noSuchField;
    };
    expect(typeof fn).toBe('function');
  });
});

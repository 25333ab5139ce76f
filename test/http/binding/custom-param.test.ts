import 'reflect-metadata';
import {
  createParamDecorator, Get, HttpError, Lokstra, Module, Path, Route, Use, type Context, type MiddlewareFn,
} from '../../../src/index';

interface User { id: string; roles: string[] }

// The user a jwt-like middleware put on the context; `@CurrentUser('id')` picks one field.
const CurrentUser = createParamDecorator((ctx: Context, field?: keyof User) => {
  const user = ctx.get<User>('user');
  if (user === undefined) throw HttpError.unauthorized('no user');
  return field === undefined ? user : user[field];
});

// An async value: resolved before the handler runs.
const Tenant = createParamDecorator(async (ctx: Context) => {
  await new Promise((r) => setImmediate(r));
  return String(ctx.headers['x-tenant'] ?? 'default').toUpperCase();
});

const auth: MiddlewareFn = async (ctx, next) => {
  if (ctx.headers.authorization === 'Bearer alice') ctx.set('user', { id: 'alice', roles: ['admin'] });
  return next();
};

@Use(auth)
@Route('/me')
class MeController {
  @Get('/') me(@CurrentUser() user: User, @Tenant() tenant: string) { return { user, tenant }; }
  @Get('/id/:n') id(@Path('n') n: number, @CurrentUser('id') id: string) { return { n, id }; }
}

@Module({ controllers: [MeController] })
class M {}

describe('createParamDecorator', () => {
  it('binds custom parameter values (sync and async) on controller methods, mixed with built-in sources', async () => {
    const h = await Lokstra.build({ apps: [{ name: 'api', address: ':0' }] }, { modules: [M] });
    const me = await h.apps[0]!.inject({ method: 'GET', url: '/me', headers: { authorization: 'Bearer alice', 'x-tenant': 'acme' } });
    expect(me.statusCode).toBe(200);
    expect(me.json().data).toEqual({ user: { id: 'alice', roles: ['admin'] }, tenant: 'ACME' });
    const id = await h.apps[0]!.inject({ method: 'GET', url: '/me/id/7', headers: { authorization: 'Bearer alice' } });
    expect(id.json().data).toEqual({ n: 7, id: 'alice' });
    const anon = await h.apps[0]!.inject({ method: 'GET', url: '/me' });
    expect(anon.statusCode).toBe(401);
    await h.close();
  });
});

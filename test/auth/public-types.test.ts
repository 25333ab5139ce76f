import { apiKeyHash, Auth, Public, Roles, Scopes, type AuthInfo, type Context, type SessionHandle } from '../../src/index';

// Compiled by ts-jest: the @ts-expect-error lines fail the suite if the public types loosen.
describe('auth public types', () => {
  it('types ctx.auth, ctx.session and ctx.csrfToken()', () => {
    const check = (ctx: Context): void => {
      const auth: AuthInfo | undefined = ctx.auth;
      // @ts-expect-error ctx.auth may be undefined (anonymous request)
      const subject: string = ctx.auth.subject;
      const session: SessionHandle | undefined = ctx.session;
      const token: string = ctx.csrfToken();
      void [auth, subject, session, token];
    };
    expect(typeof check).toBe('function');
  });

  it('types the decorators and apiKeyHash', () => {
    const decorators: (ClassDecorator & MethodDecorator)[] = [Roles('admin'), Scopes('a:b'), Public()];
    const param: ParameterDecorator = Auth({ optional: true });
    // @ts-expect-error roles are strings
    Roles(1);
    // @ts-expect-error Auth takes options, not a role
    Auth('admin');
    expect(apiKeyHash('k')).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(decorators).toHaveLength(3);
    expect(typeof param).toBe('function');
  });
});

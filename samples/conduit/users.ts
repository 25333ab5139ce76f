import { randomUUID } from 'node:crypto';
import { Body, Context, Get, HttpError, Post, Put, Raw, Route, Service } from '../../src/index';
import { LoginBody, NewUserBody, UpdateUserBody } from './dto';

/** A Conduit user as the API returns it. */
export interface ConduitUser {
  email: string;
  token: string;
  username: string;
  bio: string | null;
  image: string | null;
}

@Service()
export class UserStore {
  private readonly byEmail = new Map<string, ConduitUser & { password: string }>();

  register(username: string, email: string, password: string): ConduitUser {
    if (this.byEmail.has(email)) throw new HttpError(422, 'email has already been taken', { code: 'DUPLICATE' });
    const user = { email, username, password, token: randomUUID(), bio: null, image: null };
    this.byEmail.set(email, user);
    return this.public(user);
  }

  login(email: string, password: string): ConduitUser {
    const user = this.byEmail.get(email);
    if (user === undefined || user.password !== password) throw new HttpError(401, 'email or password is invalid');
    return this.public(user);
  }

  byToken(header: string | undefined): ConduitUser & { password: string } {
    const token = /^Token (.+)$/.exec(header ?? '')?.[1];
    const user = [...this.byEmail.values()].find((u) => u.token === token);
    if (user === undefined) throw HttpError.unauthorized('missing or invalid token', 'Token');
    return user;
  }

  public(user: ConduitUser): ConduitUser {
    const { email, token, username, bio, image } = user;
    return { email, token, username, bio, image };
  }
}

// The Conduit contract has no envelope: @Raw() sends what the handlers return as plain JSON.
@Raw()
@Route('/api')
export class UsersController {
  constructor(private readonly store: UserStore) {}

  @Post('/users')
  register(@Body() body: NewUserBody, ctx: Context): unknown {
    const { username, email, password } = body.user;
    return ctx.okCreated({ user: this.store.register(username, email, password) });
  }

  @Post('/users/login')
  login(@Body() body: LoginBody): unknown {
    return { user: this.store.login(body.user.email, body.user.password) };
  }

  @Get('/user')
  current(ctx: Context): unknown {
    return { user: this.store.public(this.store.byToken(ctx.headers.authorization)) };
  }

  @Put('/user')
  update(@Body() body: UpdateUserBody, ctx: Context): unknown {
    const user = this.store.byToken(ctx.headers.authorization);
    Object.assign(user, body.user);
    return { user: this.store.public(user) };
  }

  // Postman sends `Content-Type: application/json` with no body here.
  @Post('/user/logout')
  logout(ctx: Context): unknown {
    this.store.byToken(ctx.headers.authorization);
    return ctx.okNoContent();
  }
}

import { IsString, MaxLength, MinLength } from 'class-validator';
import { SignJWT } from 'jose';
import { Auth, Body, Delete, Get, HttpError, Path, Post, Public, Roles, Route, Scopes, Service, Use, type AuthInfo } from '../../src/index';

/** The JWT secret: the same value the `jwt` middleware gets in lokstra.yaml. */
export const JWT_SECRET = process.env.JWT_SECRET ?? 'dev-only-secret-change-me-0123456789abcdef';

interface User { password: string; roles: string[]; scopes: string[] }

/** Demo users (a real app checks a password hash in its database). */
@Service()
export class Users {
  private readonly users = new Map<string, User>([
    ['alice', { password: 'alice-pass', roles: ['member'], scopes: ['notes:read', 'notes:write'] }],
    ['bob', { password: 'bob-pass', roles: ['member'], scopes: ['notes:read'] }],
    ['root', { password: 'root-pass', roles: ['member', 'admin'], scopes: ['notes:read', 'notes:write'] }],
  ]);

  check(username: string, password: string): (User & { name: string }) | undefined {
    const user = this.users.get(username);
    return user !== undefined && user.password === password ? { ...user, name: username } : undefined;
  }
}

export class Credentials {
  @IsString() @MinLength(1) @MaxLength(100) username!: string;
  @IsString() @MinLength(1) @MaxLength(200) password!: string;
}

export class NewNote {
  @IsString() @MinLength(1) @MaxLength(500) text!: string;
}

export interface Note { id: number; owner: string; text: string }

@Service()
export class NotesService {
  private readonly notes: Note[] = [];
  private nextId = 1;

  list(): Note[] {
    return this.notes;
  }

  add(owner: string, text: string): Note {
    const note = { id: this.nextId++, owner, text };
    this.notes.push(note);
    return note;
  }

  remove(id: number): boolean {
    const i = this.notes.findIndex((n) => n.id === id);
    if (i >= 0) this.notes.splice(i, 1);
    return i >= 0;
  }
}

/** POST /auth/token: a demo token issuer, public and held to 5 attempts a minute per address. */
@Route('/auth')
export class TokenController {
  constructor(private readonly users: Users) {}

  @Post('/token')
  @Public()
  @Use({ name: 'rate_limit', config: { max: 5, window: '1m', key: 'ip', store: 'redis', namespace: 'login' } })
  async token(@Body() creds: Credentials) {
    const user = this.users.check(creds.username, creds.password);
    if (user === undefined) throw HttpError.unauthorized('Wrong username or password');
    const token = await new SignJWT({ roles: user.roles, scope: user.scopes.join(' ') })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.name).setIssuer('secure-api').setAudience('notes')
      .setIssuedAt().setExpirationTime('15m')
      .sign(new TextEncoder().encode(JWT_SECRET));
    return { token, expires_in: 900 };
  }
}

@Route('/notes')
@Roles('member')
export class NotesController {
  constructor(private readonly notes: NotesService) {}

  @Get('/')
  @Scopes('notes:read')
  list() {
    return this.notes.list();
  }

  @Post('/')
  @Scopes('notes:write')
  add(@Body() dto: NewNote, @Auth() auth: AuthInfo) {
    return this.notes.add(auth.subject ?? '?', dto.text);
  }

  @Delete('/:id')
  @Roles('admin')
  remove(@Path('id') id: number) {
    if (!this.notes.remove(id)) throw HttpError.notFound(`note ${id} not found`);
    return { deleted: id };
  }
}

/** The admin app (API key with the admin role). */
@Route('/admin')
export class AdminController {
  constructor(private readonly notes: NotesService) {}

  @Get('/stats')
  stats(@Auth() auth: AuthInfo) {
    return { notes: this.notes.list().length, caller: auth.subject };
  }
}

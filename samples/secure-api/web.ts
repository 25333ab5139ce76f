import { Context, Get, HttpError, Post, Roles, Route, type OAuth2Login } from '../../src/index';
import { NotesService, Users } from './api';

/** The cookie-session side: form login (session id regenerated), logout, adding notes with htmx. */
@Route('/session')
export class WebController {
  constructor(private readonly users: Users, private readonly notes: NotesService) {}

  @Post('/login')
  async login(ctx: Context) {
    const form = (ctx.body ?? {}) as Record<string, unknown>;
    const user = this.users.check(String(form.username ?? ''), String(form.password ?? ''));
    if (user === undefined) throw HttpError.unauthorized('Wrong username or password');
    // A new session id on login: an id planted before it (session fixation) is worthless.
    await ctx.session!.regenerate();
    ctx.session!.set('auth', { subject: user.name, roles: user.roles, scopes: user.scopes });
    return ctx.redirect('/', 303);
  }

  @Post('/logout')
  async logout(ctx: Context) {
    await ctx.session!.destroy();
    return ctx.redirect('/', 303);
  }

  @Post('/notes')
  @Roles('member')
  add(ctx: Context) {
    const text = String(((ctx.body ?? {}) as Record<string, unknown>).text ?? '').slice(0, 500);
    if (text === '') throw HttpError.badRequest('text is required');
    const note = this.notes.add(ctx.auth?.subject ?? '?', text);
    return ctx.html(`<li>${note.text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)} <small>(${note.owner})</small></li>`);
  }
}

/** Page data of the HTMX page. */
@Route('/page-data')
export class WebPageData {
  constructor(private readonly notes: NotesService) {}

  @Get('/index')
  index(ctx: Context) {
    return ctx.htmxPageData('Notes', 'Notes behind a cookie session', { user: ctx.auth?.subject ?? null, notes: this.notes.list() });
  }
}

/**
 * `on_login` of the `oauth2` middleware (profile lokstra.oidc.yaml): the provider vouched for the
 * user; a new session id, then the same session `auth` as a form login (read-only member).
 */
export async function oidcLogin(ctx: Context, login: OAuth2Login) {
  await ctx.session!.regenerate();
  ctx.session!.set('auth', { subject: String(login.claims.sub), roles: ['member'], scopes: ['notes:read'], email: login.claims.email });
  return ctx.redirect('/', 303);
}

import { createParamDecorator } from '../decorators/custom-param';
import { metadata } from '../metadata/store';
import type { MiddlewareRef } from '../metadata/types';
import { authenticationRequired } from './authorize';
import { authOf, type AuthInfo } from './types';

/** Middleware names the decorators attach (a class-level and a method-level check both apply). */
export const AUTHORIZE_CLASS = 'authorize@class';
export const AUTHORIZE_METHOD = 'authorize@method';
export const PUBLIC_MIDDLEWARE = 'public';

type Ref = { name: string; config: Record<string, unknown> };

// @Roles and @Scopes on the same class or method add to one check rather than replacing each other.
function addRule(owner: object, propertyKey: string | symbol | undefined, key: 'roles' | 'scopes', values: string[]): void {
  const name = propertyKey === undefined ? AUTHORIZE_CLASS : AUTHORIZE_METHOD;
  const existing = metadata.getUse(owner, propertyKey).find((r): r is Ref => typeof r === 'object' && r.name === name) as Ref | undefined;
  if (existing !== undefined) {
    existing.config[key] = [...(existing.config[key] as string[] | undefined ?? []), ...values];
    return;
  }
  metadata.addUse(owner, [{ name, config: { [key]: values } } satisfies MiddlewareRef], propertyKey);
}

function ruleDecorator(key: 'roles' | 'scopes', values: string[]): ClassDecorator & MethodDecorator {
  return ((target: object, propertyKey?: string | symbol) => {
    addRule(propertyKey === undefined ? target : target.constructor, propertyKey, key, values);
  }) as ClassDecorator & MethodDecorator;
}

/**
 * Requires every listed role in `ctx.auth.roles` (403 `FORBIDDEN` otherwise, 401 without `ctx.auth`).
 * On a class it covers every route; a method's own `@Roles` adds to it.
 * @example
 * @Route('/admin') @Roles('admin') class AdminController { @Delete('/users/:id') @Roles('owner') remove() {} }
 */
export function Roles(...roles: string[]): ClassDecorator & MethodDecorator {
  return ruleDecorator('roles', roles);
}

/**
 * Requires every listed scope in `ctx.auth.scopes` (403 `FORBIDDEN` otherwise, 401 without `ctx.auth`).
 * @example
 * @Post('/notes') @Scopes('notes:write') create(@Body() dto: NoteDto) {}
 */
export function Scopes(...scopes: string[]): ClassDecorator & MethodDecorator {
  return ruleDecorator('scopes', scopes);
}

/**
 * Exempts a method (or a whole controller) from the app's `jwt`/`api_key`/`session` authentication
 * and `authorize`: anonymous requests get through; a valid credential still sets `ctx.auth`.
 * @example
 * @Get('/health') @Public() health() { return 'ok'; }
 */
export function Public(): ClassDecorator & MethodDecorator {
  return ((target: object, propertyKey?: string | symbol) => {
    metadata.addUse(propertyKey === undefined ? target : target.constructor, [PUBLIC_MIDDLEWARE], propertyKey);
  }) as ClassDecorator & MethodDecorator;
}

/**
 * Injects `ctx.auth`; without one the request is a 401 (`@Auth({ optional: true })` injects `undefined` instead).
 * @example
 * @Get('/me') me(@Auth() auth: AuthInfo) { return { id: auth.subject }; }
 */
export const Auth = createParamDecorator<AuthInfo | undefined, { optional?: boolean }>((ctx, data) => {
  const auth = authOf(ctx.req);
  if (auth === undefined && data?.optional !== true) throw authenticationRequired();
  return auth;
});

import { metadata } from '../metadata/store';
import type { AcceptKind, HttpMethod, MiddlewareRef } from '../metadata/types';

/**
 * Marks a class as a controller whose routes live under `prefix`.
 * @example
 * @Route('/users')
 * class UserController {
 *   constructor(private readonly users: UserService) {}
 *   @Get('/:id') get(@Path('id') id: number) { return this.users.find(id); }
 * }
 */
export function Route(prefix = ''): ClassDecorator {
  return (target) => metadata.setController(target, { prefix });
}

function verb(method: HttpMethod) {
  return (path = '/'): MethodDecorator =>
    (target, propertyKey) => metadata.addRoute(target.constructor, { method, path, propertyKey });
}

/** Routes `GET <prefix><path>` to the method. @example @Get('/:id') get(@Path('id') id: number) {} */
export const Get = verb('GET');
/** Routes `POST <prefix><path>` to the method. @example @Post('/') create(@Body() dto: CreateUserDto) {} */
export const Post = verb('POST');
/** Routes `PUT <prefix><path>` to the method. @example @Put('/:id') replace(@Path('id') id: number) {} */
export const Put = verb('PUT');
/** Routes `PATCH <prefix><path>` to the method. @example @Patch('/:id') update(@Path('id') id: number) {} */
export const Patch = verb('PATCH');
/** Routes `DELETE <prefix><path>` to the method. @example @Delete('/:id') remove(@Path('id') id: number) {} */
export const Delete = verb('DELETE');
/** Routes `HEAD <prefix><path>` to the method. @example @Head('/') probe() {} */
export const Head = verb('HEAD');
/** Routes `OPTIONS <prefix><path>` to the method. @example @Options('/') describe() {} */
export const Options = verb('OPTIONS');
/** Routes every method of `<prefix><path>` to the method. @example @All('/echo') echo(ctx: Context) {} */
export const All = verb('ALL');

/**
 * Adds middleware to every route of a controller (on the class) or to one route (on a method).
 * @example
 * @Use('auth', { name: 'audit', config: { level: 'high' } })
 * @Route('/admin') class AdminController {}
 */
export function Use(...middleware: MiddlewareRef[]): ClassDecorator & MethodDecorator {
  return ((target: object, propertyKey?: string | symbol) => {
    if (propertyKey === undefined) metadata.addUse(target, middleware);
    else metadata.addUse(target.constructor, middleware, propertyKey);
  }) as ClassDecorator & MethodDecorator;
}

/**
 * Narrows the body content types a controller or route accepts (default: json and form).
 * @example
 * @Accepts('json') @Post('/login') login(@Body() dto: LoginDto) {}
 */
export function Accepts(...kinds: AcceptKind[]): ClassDecorator & MethodDecorator {
  return ((target: object, propertyKey?: string | symbol) => {
    if (propertyKey === undefined) metadata.setAccepts(target, kinds);
    else metadata.setAccepts(target.constructor, kinds, propertyKey);
  }) as ClassDecorator & MethodDecorator;
}

/**
 * Sends the controller's (or method's) values as plain JSON instead of Lokstra's envelope, for
 * third-party contracts; status and headers come from `ctx`/`Response` as usual.
 * @example
 * @Raw() @Route('/api/user') class UserController { @Get('/') me() { return { user: this.current } } }
 */
export function Raw(): ClassDecorator & MethodDecorator {
  return ((target: object, propertyKey?: string | symbol) => {
    if (propertyKey === undefined) metadata.setEnvelope(target, false);
    else metadata.setEnvelope(target.constructor, false, propertyKey);
  }) as ClassDecorator & MethodDecorator;
}

/**
 * Registers a controller method under a handler name that YAML routes can refer to.
 * @example
 * @Handler('user.list') @Get('/') list() { return this.users.all(); }
 */
export function Handler(name: string): MethodDecorator {
  return (target, propertyKey) => metadata.addHandlerName(target.constructor, name, propertyKey);
}

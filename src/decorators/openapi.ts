import { LokstraError } from '../errors/lokstra-error';
import { metadata } from '../metadata/store';
import type { Class, DocMeta } from '../metadata/types';

/** Options of {@link Returns}. */
export interface ReturnsOptions {
  /** The status these responses have (default 200). */
  status?: number;
  /** The response's description in the OpenAPI document. */
  description?: string;
}

/**
 * Declares the class of a route's envelope `data` (`[Class]`: an array of it). Success responses
 * are serialised by a compiled serialiser that sends the declared fields only: anything else on
 * the returned object (a `password`, nested or inherited fields) is stripped. Feeds OpenAPI too.
 * @example
 * @Get('/:id') @Returns(UserView) get(@Path('id') id: number) { return this.users.find(id); }
 * @Get('/') @Returns([UserView], { description: 'a page of users' }) list() { return this.users.all(); }
 */
export function Returns(type: Class | [Class], options: ReturnsOptions = {}): MethodDecorator {
  const array = Array.isArray(type);
  const cls = array ? type[0] : type;
  return (target, propertyKey) => {
    if (typeof cls !== 'function') {
      throw new LokstraError('LKS_ERR_ROUTE_INVALID', { source: `${(target.constructor as Class).name}.${String(propertyKey)}`, detail: '@Returns needs a class or [Class]' });
    }
    metadata.addReturns(target.constructor, propertyKey, { type: cls, array, status: options.status ?? 200, description: options.description });
  };
}

/**
 * Adds prose to the OpenAPI operation of a route (on a method) or of every route of a controller
 * (on a class; `tags` there replace the default tag, the controller's name).
 * @example
 * @Doc({ summary: 'Find a user', tags: ['users'], operation_id: 'getUser' })
 * @Get('/:id') get(@Path('id') id: number) {}
 */
export function Doc(doc: DocMeta): ClassDecorator & MethodDecorator {
  return ((target: object, propertyKey?: string | symbol) => {
    if (propertyKey === undefined) metadata.setDoc(target, { ...doc });
    else metadata.setDoc(target.constructor, { ...doc }, propertyKey);
  }) as ClassDecorator & MethodDecorator;
}

import 'reflect-metadata';
import { META } from './keys';
import type {
  AcceptKind, ControllerMeta, DocMeta, MiddlewareRef, ReturnsMeta, ModuleDefinition, ParamMeta, PropertyMeta, RouteMeta, ServiceMeta,
} from './types';

// Typed readers and writers over reflect-metadata. Decorators write; container/ and http/ read, once at boot.

function ownList<T>(key: symbol, target: object, propertyKey?: string | symbol): T[] {
  const existing = (propertyKey === undefined
    ? Reflect.getMetadata(key, target)
    : Reflect.getMetadata(key, target, propertyKey)) as T[] | undefined;
  return existing ? [...existing] : [];
}

function pushTo<T>(key: symbol, item: T, target: object, propertyKey?: string | symbol): void {
  const list = ownList<T>(key, target, propertyKey);
  list.push(item);
  if (propertyKey === undefined) Reflect.defineMetadata(key, list, target);
  else Reflect.defineMetadata(key, list, target, propertyKey);
}

export const metadata = {
  setController(target: object, meta: ControllerMeta): void {
    Reflect.defineMetadata(META.controller, meta, target);
  },
  getController(target: object): ControllerMeta | undefined {
    return Reflect.getOwnMetadata(META.controller, target) as ControllerMeta | undefined;
  },
  addRoute(ctor: object, route: RouteMeta): void {
    pushTo(META.routes, route, ctor);
  },
  getRoutes(ctor: object): RouteMeta[] {
    return ownList<RouteMeta>(META.routes, ctor);
  },
  addParam(proto: object, propertyKey: string | symbol, param: ParamMeta): void {
    pushTo(META.params, param, proto, propertyKey);
  },
  getParams(proto: object, propertyKey: string | symbol): ParamMeta[] {
    return ownList<ParamMeta>(META.params, proto, propertyKey);
  },
  addProperty(ctor: object, prop: PropertyMeta): void {
    const list = ownList<PropertyMeta>(META.props, ctor).filter((p) => p.property !== prop.property);
    list.push(prop);
    Reflect.defineMetadata(META.props, list, ctor);
  },
  getProperties(ctor: object): PropertyMeta[] {
    return ownList<PropertyMeta>(META.props, ctor);
  },
  addUse(target: object, refs: MiddlewareRef[], propertyKey?: string | symbol): void {
    for (const ref of refs) pushTo(META.use, ref, target, propertyKey);
  },
  getUse(target: object, propertyKey?: string | symbol): MiddlewareRef[] {
    return ownList<MiddlewareRef>(META.use, target, propertyKey);
  },
  setAccepts(target: object, kinds: AcceptKind[], propertyKey?: string | symbol): void {
    if (propertyKey === undefined) Reflect.defineMetadata(META.accepts, kinds, target);
    else Reflect.defineMetadata(META.accepts, kinds, target, propertyKey);
  },
  getAccepts(target: object, propertyKey?: string | symbol): AcceptKind[] | undefined {
    return (propertyKey === undefined
      ? Reflect.getMetadata(META.accepts, target)
      : Reflect.getMetadata(META.accepts, target, propertyKey)) as AcceptKind[] | undefined;
  },
  setEnvelope(target: object, enabled: boolean, propertyKey?: string | symbol): void {
    if (propertyKey === undefined) Reflect.defineMetadata(META.envelope, enabled, target);
    else Reflect.defineMetadata(META.envelope, enabled, target, propertyKey);
  },
  /** `false` under `@Raw()`; `undefined` when the class or method says nothing. */
  getEnvelope(target: object, propertyKey?: string | symbol): boolean | undefined {
    return (propertyKey === undefined
      ? Reflect.getMetadata(META.envelope, target)
      : Reflect.getMetadata(META.envelope, target, propertyKey)) as boolean | undefined;
  },
  addHandlerName(ctor: object, name: string, propertyKey: string | symbol): void {
    pushTo(META.handlerNames, { name, propertyKey }, ctor);
  },
  getHandlerNames(ctor: object): { name: string; propertyKey: string | symbol }[] {
    return ownList(META.handlerNames, ctor);
  },
  addReturns(ctor: object, propertyKey: string | symbol, returns: ReturnsMeta): void {
    pushTo(META.returns, returns, ctor, propertyKey);
  },
  /** `@Returns` declarations of a method, in declaration order (top first). */
  getReturns(ctor: object, propertyKey: string | symbol): ReturnsMeta[] {
    // Method decorators run bottom-up: reversed, the list reads as written.
    return ownList<ReturnsMeta>(META.returns, ctor, propertyKey).reverse();
  },
  setDoc(target: object, doc: DocMeta, propertyKey?: string | symbol): void {
    if (propertyKey === undefined) Reflect.defineMetadata(META.doc, doc, target);
    else Reflect.defineMetadata(META.doc, doc, target, propertyKey);
  },
  getDoc(target: object, propertyKey?: string | symbol): DocMeta | undefined {
    return (propertyKey === undefined
      ? Reflect.getOwnMetadata(META.doc, target)
      : Reflect.getOwnMetadata(META.doc, target, propertyKey)) as DocMeta | undefined;
  },
  setService(ctor: object, meta: ServiceMeta): void {
    Reflect.defineMetadata(META.service, meta, ctor);
  },
  getService(ctor: object): ServiceMeta | undefined {
    return Reflect.getOwnMetadata(META.service, ctor) as ServiceMeta | undefined;
  },
  setInject(ctor: object, index: number, token: unknown): void {
    const map = new Map((Reflect.getOwnMetadata(META.inject, ctor) as Map<number, unknown> | undefined) ?? []);
    map.set(index, token);
    Reflect.defineMetadata(META.inject, map, ctor);
  },
  getInject(ctor: object): Map<number, unknown> {
    return (Reflect.getOwnMetadata(META.inject, ctor) as Map<number, unknown> | undefined) ?? new Map();
  },
  setModule(ctor: object, def: ModuleDefinition): void {
    Reflect.defineMetadata(META.module, def, ctor);
  },
  getModule(ctor: object): ModuleDefinition | undefined {
    return Reflect.getOwnMetadata(META.module, ctor) as ModuleDefinition | undefined;
  },
  /** `design:type` of a property. */
  designType(proto: object, property: string | symbol): unknown {
    return Reflect.getMetadata('design:type', proto, property);
  },
  /** `design:paramtypes` of a method, or of the constructor when `property` is undefined. */
  paramTypes(target: object, property?: string | symbol): unknown[] {
    const types = property === undefined
      ? Reflect.getMetadata('design:paramtypes', target)
      : Reflect.getMetadata('design:paramtypes', target, property);
    return (types as unknown[] | undefined) ?? [];
  },
};

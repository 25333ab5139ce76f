import { LokstraError } from '../../errors/lokstra-error';
import type { Registry } from '../../container/registry';
import type { ServiceContainer } from '../../container/service-container';
import { metadata } from '../../metadata/store';
import type { AcceptKind, HttpMethod } from '../../metadata/types';
import type { Class } from '../../internal/types';
import { bindDto, type DtoPlanCache } from '../binding/dto-binder';
import { FieldErrorCollector } from '../binding/errors';
import { compileParams, type ParamBinder } from '../binding/params-plan';
import { Context } from '../context';
import { resolveScope, type FormatterLookup, type ScopeLevel } from '../contract/scope';
import type { ErrorFormatter, ResponseScope } from '../contract/types';
import type { Response } from '../response/response';
import { buildResponseSerializer, type ResponseSerializer } from '../response/serializer';
import { resultToResponse } from '../response/to-response';
import { isBoundHandler } from './bind-handler';
import { compose, type Terminal } from './compose';
import type { ChainLevel, FastifyAttachment, MiddlewareResolver } from './middleware-chain';
import { resolveControllers } from './resolve-controllers';
import { joinPath, type HandlerLike, type Router } from './router';

/** A route ready to be registered on Fastify. */
export interface CompiledRoute {
  app: string;
  method: HttpMethod;
  url: string;
  source: string;
  handlerName: string;
  /** Middleware names in run order, for the route table. */
  middleware: string[];
  accepts: AcceptKind[] | undefined;
  run: Terminal<Context>;
  /** Fastify-phase middleware of the route in priority order, compiled into route options and hooks by the listener. */
  fastify: FastifyAttachment[];
  /** The app-level Fastify-phase middleware of the route's app (applied to unmatched requests when the app owns the 404). */
  appFastify: FastifyAttachment[];
  /** Response shaping: envelope on/off, error formatter, validation status. */
  scope: ResponseScope;
  /** What the route runs, for the OpenAPI document: a controller method or a `bind(Dto, fn)` DTO. */
  target?: RouteTarget | undefined;
  /** The compiled `@Returns` serialiser (declared fields only), if the method declares one. */
  serializer?: ResponseSerializer | undefined;
}

/** The controller method (or bound DTO) behind a compiled route. */
export type RouteTarget = { kind: 'method'; controller: Class; method: string | symbol } | { kind: 'bind'; dto: Class };

/** The response scope of a router prefix, for requests that match no route. */
export interface PrefixScope {
  app: string;
  prefix: string;
  scope: ResponseScope;
}

/** What compiling needs from the Lokstra instance. */
export interface CompileDeps {
  registry: Registry;
  container: ServiceContainer;
  plans: DtoPlanCache;
  middleware: MiddlewareResolver;
}

function formatterLookup(registry: Registry): FormatterLookup {
  return (name, source) => {
    const entry = registry.handlers.get(name);
    if (entry?.kind === 'function') return entry.fn as ErrorFormatter;
    const known = [...registry.handlers].filter(([, e]) => e.kind === 'function').map(([n]) => n).join(', ') || 'none';
    throw new LokstraError('LKS_ERR_ROUTE_HANDLER_NOT_FOUND', { name, source: `${source} error_format`, known });
  };
}

function toResponse(value: unknown): Response | Promise<Response> {
  return value instanceof Promise ? value.then(resultToResponse) : resultToResponse(value);
}

function methodTerminal(controller: Class, method: string | symbol, deps: CompileDeps): Terminal<Context> {
  const binders: ParamBinder<Context>[] = compileParams<Context>({ controller, method, cache: deps.plans, contextClass: Context });
  const fn = (controller.prototype as Record<string | symbol, unknown>)[method];
  if (typeof fn !== 'function') throw new LokstraError('LKS_ERR_ROUTE_INVALID', { source: `${controller.name}.${String(method)}`, detail: 'not a method' });
  const singleton = deps.container.isPerRequest(controller) ? undefined : deps.container.get<object>(controller);
  const invoke = (ctx: Context, args: unknown[]): Response | Promise<Response> =>
    toResponse(fn.apply(singleton ?? ctx.container.get<object>(controller), args));
  return (ctx) => {
    const errors = new FieldErrorCollector();
    const src = ctx.sources;
    const args = new Array<unknown>(binders.length);
    let pending = false;
    for (let i = 0; i < binders.length; i++) {
      const v = (binders[i] as ParamBinder<Context>)(ctx, src, errors);
      if (v instanceof Promise) pending = true;
      args[i] = v;
    }
    if (pending) return Promise.all(args).then((resolved) => { errors.throwIfAny(); return invoke(ctx, resolved); });
    errors.throwIfAny();
    return invoke(ctx, args);
  };
}

interface TerminalInfo { run: Terminal<Context>; name: string; target?: RouteTarget }

function methodTarget(controller: Class, method: string | symbol): Pick<CompiledRoute, 'target' | 'serializer'> {
  return { target: { kind: 'method', controller, method }, serializer: buildResponseSerializer(metadata.getReturns(controller, method)) };
}

function handlerTerminal(handler: HandlerLike, source: string, deps: CompileDeps): TerminalInfo {
  if (typeof handler === 'string') {
    const entry = deps.registry.handlers.get(handler);
    if (entry === undefined) {
      throw new LokstraError('LKS_ERR_ROUTE_HANDLER_NOT_FOUND', { name: handler, source, known: [...deps.registry.handlers.keys()].join(', ') || 'none' });
    }
    if (entry.kind === 'method') return { run: methodTerminal(entry.controller, entry.method, deps), name: handler, target: { kind: 'method', controller: entry.controller, method: entry.method } };
    return { run: handlerTerminal(entry.fn, source, deps).run, name: handler };
  }
  if (isBoundHandler(handler)) {
    const plan = deps.plans.get(handler.dto);
    const call = (ctx: Context, req: unknown): Response | Promise<Response> => toResponse(handler.fn(ctx, req));
    return {
      name: handler.fn.name || 'anonymous',
      target: { kind: 'bind', dto: handler.dto },
      run: (ctx) => {
        const errors = new FieldErrorCollector();
        const req = bindDto(plan, ctx.sources, 'all', errors, true);
        if (req instanceof Promise) return req.then((r) => { errors.throwIfAny(); return call(ctx, r); });
        errors.throwIfAny();
        return call(ctx, req);
      },
    };
  }
  if (typeof handler !== 'function') throw new LokstraError('LKS_ERR_ROUTE_INVALID', { source, detail: 'handler must be a function, bind(Dto, fn) or a registered name' });
  return { run: (ctx) => toResponse(handler(ctx)), name: handler.name || 'anonymous' };
}

const compiledByRoot = new WeakMap<Router, readonly CompiledRoute[]>();

/** The routes {@link compileApp} compiled for an app's root router (the OpenAPI document reads them on first request). */
export function compiledRoutesOf(root: Router): readonly CompiledRoute[] | undefined {
  return compiledByRoot.get(root);
}

/** Compiles every route of an app's router tree (routes, groups, mounted controllers) at boot. */
export function compileApp(app: string, root: Router, deps: CompileDeps, prefixScopes: PrefixScope[] = []): CompiledRoute[] {
  const out: CompiledRoute[] = [];
  let appFastify: FastifyAttachment[] = [];
  const lookup = formatterLookup(deps.registry);
  const walk = (node: Router, outer: ChainLevel[], accepts: AcceptKind[] | undefined, outerScopes: ScopeLevel[]): void => {
    const levels = [...outer, { refs: node.middleware, override: node.override, source: node.source }];
    const scopes = [...outerScopes, { options: node.scope, source: node.source }];
    prefixScopes.push({ app, prefix: node.fullPrefix, scope: resolveScope(scopes, app, lookup) });
    // Resolve this level even when it has no routes, so an unknown middleware name always fails boot.
    const own = deps.middleware.resolveChain(levels);
    if (node === root) appFastify = own.fastify;
    const nodeAccepts = node.accepts ?? accepts;
    for (const route of node.routes) {
      const { run, name, target } = handlerTerminal(route.handler, route.source, deps);
      const chain = deps.middleware.resolveChain([...levels, { refs: route.middleware, override: route.override, source: route.source }]);
      out.push({
        app, method: route.method, url: joinPath(node.fullPrefix, route.path), source: route.source, handlerName: name,
        middleware: chain.names, accepts: route.accepts ?? nodeAccepts, run: compose(chain.fns, run), fastify: chain.fastify, appFastify,
        scope: resolveScope([...scopes, { options: route.scope, source: route.source }], app, lookup),
        ...(target?.kind === 'method' ? methodTarget(target.controller, target.method) : { target }),
      });
    }
    for (const mount of node.mounts) {
      for (const controller of resolveControllers(mount, deps.registry)) {
        const at = { node, accepts: nodeAccepts, prefix: mount.options.prefix ?? '', scopes: { levels: scopes, lookup } };
        out.push(...compileController(app, controller, [...levels, { refs: mount.options.middleware ?? [], override: false, source: mount.source }], at, deps));
      }
    }
    for (const child of node.groups) walk(child, levels, nodeAccepts, scopes);
  };
  walk(root, [], undefined, []);
  for (const r of out) r.appFastify = appFastify;
  compiledByRoot.set(root, out);
  return out;
}

/** Where a controller is mounted: its router node, inherited accepts, mount prefix and scope levels. */
interface MountPoint {
  node: Router;
  accepts: AcceptKind[] | undefined;
  prefix: string;
  scopes: { levels: ScopeLevel[]; lookup: FormatterLookup };
}

function compileController(app: string, controller: Class, levels: ChainLevel[], at: MountPoint, deps: CompileDeps): CompiledRoute[] {
  const { node, accepts, prefix } = at;
  const ctl = metadata.getController(controller);
  const classEnvelope = metadata.getEnvelope(controller);
  const classScope: ScopeLevel = { options: classEnvelope === undefined ? undefined : { envelope: classEnvelope }, source: controller.name };
  const classLevel: ChainLevel = { refs: metadata.getUse(controller), override: false, source: controller.name };
  const classAccepts = metadata.getAccepts(controller);
  return metadata.getRoutes(controller).map((route) => {
    const source = `${controller.name}.${String(route.propertyKey)}`;
    const methodLevel: ChainLevel = { refs: metadata.getUse(controller, route.propertyKey), override: false, source };
    const chain = deps.middleware.resolveChain([...levels, classLevel, methodLevel]);
    return {
      app, method: route.method, source, handlerName: source, middleware: chain.names,
      url: joinPath(node.fullPrefix, prefix, ctl?.prefix ?? '', route.path),
      accepts: metadata.getAccepts(controller, route.propertyKey) ?? classAccepts ?? accepts,
      run: compose(chain.fns, methodTerminal(controller, route.propertyKey, deps)),
      fastify: chain.fastify, appFastify: [],
      scope: resolveScope([...at.scopes.levels, classScope, { options: methodScope(controller, route.propertyKey), source }], app, at.scopes.lookup),
      ...methodTarget(controller, route.propertyKey),
    };
  });
}

function methodScope(controller: Class, method: string | symbol): { envelope: boolean } | undefined {
  const own = metadata.getEnvelope(controller, method);
  return own === undefined ? undefined : { envelope: own };
}

import { HttpError } from '../../errors/http-error';
import { LokstraError } from '../../errors/lokstra-error';
import { metadata } from '../../metadata/store';
import type { ParamMeta } from '../../metadata/types';
import type { Class } from '../../internal/types';
import { convertString, FAIL } from './convert';
import { bindDto, convertBodyValue, type DtoPlanCache } from './dto-binder';
import type { FieldErrorCollector } from './errors';
import type { RequestSources } from './sources';
import { resolveTarget } from './target-type';
import { checkParamMetadata } from './type-warnings';

/** Produces one handler argument; reports failures to `errors`. May return a Promise (async validators). */
export type ParamBinder<C> = (ctx: C, src: RequestSources, errors: FieldErrorCollector) => unknown;

/** Compile-time inputs of {@link compileParams}. */
export interface CompileParamsOptions {
  controller: Class;
  method: string | symbol;
  cache: DtoPlanCache;
  /** The runtime Context class, recognised by type. */
  contextClass: Class;
}

function isDtoClass(type: unknown, cache: DtoPlanCache): type is Class {
  if (typeof type !== 'function' || type === Object || type === Array || type === String || type === Number || type === Boolean || type === Date) return false;
  const plan = cache.get(type as Class);
  return plan.fields.length > 0 || plan.validator !== undefined;
}

/** Builds one binder per handler parameter, at boot. Unbindable parameters are boot errors. */
export function compileParams<C>(opts: CompileParamsOptions): ParamBinder<C>[] {
  const { controller, method } = opts;
  const types = metadata.paramTypes(controller.prototype as object, method);
  const declared = new Map<number, ParamMeta>(metadata.getParams(controller.prototype as object, method).map((p) => [p.index, p]));
  const fn = (controller.prototype as Record<string | symbol, unknown>)[method];
  // fn.length catches parameters that have no type metadata (tsx/esbuild emit none): a boot error, not `undefined`.
  const arity = typeof fn === 'function' ? fn.length : 0;
  const count = Math.max(types.length, arity, ...[...declared.keys()].map((i) => i + 1), 0);
  const target = `${controller.name}.${String(method)}`;
  if (types.length > 0) opts.cache.warnings.sawMetadata = true;
  checkParamMetadata(target, [...declared.values()], types, opts.cache.warnings);
  const binders: ParamBinder<C>[] = [];
  for (let index = 0; index < count; index++) {
    binders.push(compileOne<C>(declared.get(index), types[index], index, target, opts));
  }
  return binders;
}

function compileOne<C>(meta: ParamMeta | undefined, type: unknown, index: number, target: string, opts: CompileParamsOptions): ParamBinder<C> {
  const { cache, contextClass } = opts;
  if (meta?.kind === 'ctx' || (meta === undefined && type === contextClass)) return (ctx) => ctx;
  if (meta?.kind === 'custom') return (ctx) => meta.resolve(ctx as never, meta.data);
  if (meta?.kind === 'bind' || (meta === undefined && isDtoClass(type, cache))) {
    const dto = (meta?.kind === 'bind' ? meta.dto : undefined) ?? (type as Class);
    if (!isDtoClass(dto, cache) && typeof dto !== 'function') {
      throw new LokstraError('LKS_ERR_DECORATOR_UNBOUND_PARAM', { target, index, type: describe(type) });
    }
    const plan = cache.get(dto);
    return (_ctx, src, errors) => bindDto(plan, src, 'all', errors, true);
  }
  if (meta === undefined) throw new LokstraError('LKS_ERR_DECORATOR_UNBOUND_PARAM', { target, index, type: describe(type) });
  if (meta.kind !== 'source') throw new LokstraError('LKS_ERR_DECORATOR_UNBOUND_PARAM', { target, index, type: describe(type) });
  if (meta.source === 'body' && meta.name === undefined) return wholeBody<C>(type, cache);
  if (meta.name === undefined) {
    throw new LokstraError('LKS_ERR_DECORATOR_MISSING_NAME', { target, index, decorator: meta.source[0]?.toUpperCase() + meta.source.slice(1) });
  }
  return sourceValue<C>(meta, type, cache);
}

function wholeBody<C>(type: unknown, cache: DtoPlanCache): ParamBinder<C> {
  if (typeof type === 'function' && type !== Object && type !== Array) {
    const plan = cache.get(type as Class);
    return (_ctx, src, errors) => {
      if (src.bodyKind === 'none') throw HttpError.validation('Validation failed', { body: ['body is required'] }, { body: ['isDefined'] });
      return bindDto(plan, src, 'body', errors, true);
    };
  }
  return (_ctx, src) => src.body;
}

function sourceValue<C>(meta: Extract<ParamMeta, { kind: 'source' }>, type: unknown, cache: DtoPlanCache): ParamBinder<C> {
  const name = meta.name as string;
  const targetType = resolveTarget(type, meta.options);
  const required = meta.source === 'path' || meta.options.required === true;
  return (_ctx, src, errors) => {
    let raw: unknown;
    switch (meta.source) {
      case 'path': raw = src.params[name]; break;
      case 'query': raw = src.query[name]; break;
      case 'header': raw = src.headers[name]; break;
      case 'body': raw = typeof src.body === 'object' && src.body !== null ? (src.body as Record<string, unknown>)[name] : undefined; break;
    }
    if (raw === undefined) {
      if (required) errors.add(name, `${name} is required`, 'isDefined');
      return undefined;
    }
    const value = meta.source === 'body' && (src.bodyKind === 'json' || targetType.nested !== undefined)
      ? convertBodyValue(raw, targetType, name, errors, cache)
      : convertString(raw as string | string[], targetType, name, errors.at(name));
    return value === FAIL ? undefined : value;
  };
}

function describe(type: unknown): string {
  if (typeof type === 'function') return type.name || 'anonymous';
  return type === undefined ? 'unknown' : String(type);
}

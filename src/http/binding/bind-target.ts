import { HttpError } from '../../errors/http-error';
import { LokstraError } from '../../errors/lokstra-error';
import type { Class } from '../../internal/types';
import { bindDto, type BindScope, type DtoPlanCache } from './dto-binder';
import { FieldErrorCollector } from './errors';
import type { RequestSources } from './sources';

/** What `ctx.bind*` accept: a DTO class, an instance of one, or a plain object used as a map. */
export type BindTarget<T> = Class<T> | T;

function isMap(target: unknown): target is Record<string, unknown> {
  if (typeof target !== 'object' || target === null) return false;
  const proto = Object.getPrototypeOf(target) as unknown;
  return proto === Object.prototype || proto === null;
}

function fillMap(map: Record<string, unknown>, src: RequestSources, scope: BindScope): void {
  if (scope === 'path') throw new LokstraError('LKS_ERR_BIND_PATH_MAP');
  if (scope === 'query' || scope === 'all') copyInto(map, src.query);
  if (scope === 'header' || scope === 'all') copyInto(map, src.headers);
  if ((scope === 'body' || scope === 'all') && typeof src.body === 'object' && src.body !== null && !Array.isArray(src.body)) {
    copyInto(map, src.body as Record<string, unknown>);
  }
}

function copyInto(map: Record<string, unknown>, from: Record<string, unknown>): void {
  for (const key of Object.keys(from)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    if (from[key] !== undefined) map[key] = from[key];
  }
}

/**
 * Binds the request into a target. Classes and instances are converted and (for `all` and `body`)
 * validated; failures throw a 400 `VALIDATION_ERROR`. Maps take every key; a map cannot take path params.
 */
export async function bindTarget<T>(target: BindTarget<T>, src: RequestSources, scope: BindScope, cache: DtoPlanCache): Promise<T> {
  if (isMap(target)) {
    fillMap(target, src, scope);
    return target;
  }
  const cls = (typeof target === 'function' ? target : (target as object | null)?.constructor) as Class<T> | undefined;
  if (typeof cls !== 'function') throw new LokstraError('LKS_ERR_BIND_INVALID_TARGET', { target: String(target) });
  const errors = new FieldErrorCollector();
  const instance = await bindDto(cache.get(cls), src, scope, errors, scope === 'all' || scope === 'body');
  errors.throwIfAny();
  if (typeof target === 'function') return instance as T;
  return Object.assign(target as object, instance) as T;
}

/** Rejects a form body where only JSON is accepted (`ctx.bindBody`). */
export function requireJsonBody(src: RequestSources): void {
  if (src.bodyKind === 'form') throw new HttpError(415, 'Only application/json is accepted here');
}

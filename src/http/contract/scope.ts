import { LokstraError } from '../../errors/lokstra-error';
import { DEFAULT_SCOPE, type ErrorFormatter, type ResponseScope, type ScopeOptions } from './types';

/** Finds a named error formatter (a registered handler function) at boot. */
export type FormatterLookup = (name: string, source: string) => ErrorFormatter;

/** One level of scope options and where it was declared. */
export interface ScopeLevel {
  options: ScopeOptions | undefined;
  source: string;
}

/**
 * Resolves the response scope of a route from its levels, outermost first (app, groups, mount,
 * controller, method/route): each level's defined options override the outer ones. At boot.
 */
export function resolveScope(levels: readonly ScopeLevel[], app: string, lookup: FormatterLookup): ResponseScope {
  let envelope = true;
  let formatter: ErrorFormatter | undefined;
  let validationStatus: number | undefined;
  let source = 'default';
  for (const { options, source: where } of levels) {
    if (options === undefined) continue;
    if (options.envelope !== undefined) envelope = options.envelope;
    if (options.validationStatus !== undefined) validationStatus = checkStatus(options.validationStatus, where);
    const f = options.errorFormat;
    if (f !== undefined) {
      formatter = typeof f === 'string' ? lookup(f, where) : f;
      source = typeof f === 'string' ? `'${f}' (${where})` : `${f.name || 'anonymous'} (${where})`;
    }
  }
  if (envelope && formatter === undefined && validationStatus === undefined) return DEFAULT_SCOPE;
  return Object.freeze({ envelope, formatter, validationStatus, app, source });
}

function checkStatus(status: number, source: string): number {
  if (!Number.isInteger(status) || status < 400 || status > 499) {
    throw new LokstraError('LKS_ERR_ROUTE_INVALID', { source, detail: `validation_status must be a 4xx status, got ${String(status)}` });
  }
  return status;
}

/** The scope of each router prefix, for requests that match no route (404, 405, malformed URLs). */
export class ScopeIndex {
  private readonly entries: { prefix: string; scope: ResponseScope }[] = [];
  private fallback: ResponseScope = DEFAULT_SCOPE;

  /** Adds the scope of a group prefix (`/` sets the fallback when `owner`: the app that owns the listener's 404). */
  add(prefix: string, scope: ResponseScope, owner: boolean): void {
    if (prefix === '/' || prefix === '') {
      if (owner) this.fallback = scope;
      return;
    }
    this.entries.push({ prefix, scope });
    this.entries.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  /** The scope of the longest prefix that contains `url`, else the owner app's root scope. */
  scopeFor(url: string): ResponseScope {
    if (this.entries.length === 0) return this.fallback;
    const path = url.split('?', 1)[0] ?? '';
    for (const e of this.entries) {
      if (path === e.prefix || path.startsWith(e.prefix + '/')) return e.scope;
    }
    return this.fallback;
  }
}

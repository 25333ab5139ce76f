import { optional } from '../internal/optional';
import { LokstraError } from '../errors/lokstra-error';
import { HELMET_OPTIONS } from './schemas';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { FastifyMiddleware } from './types';

const camel = (key: string): string => key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

// snake_case keys become helmet's camelCase, except CSP directive names (helmet takes them as written).
function toHelmet(value: unknown, inDirectives = false): unknown {
  if (Array.isArray(value) || typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [inDirectives ? k : camel(k), toHelmet(v, k === 'directives')]));
}

/** helmet options from the middleware config; `true` means "helmet's default" (helmet rejects a literal `true`). */
export function helmetOptions(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === true) continue;
    out[HELMET_OPTIONS[key as keyof typeof HELMET_OPTIONS] ?? camel(key)] = toHelmet(value);
  }
  return out;
}

/** A route config key: the helmet headers of the route, computed once per config at boot. */
export const SECURITY_HEADERS = Symbol.for('lokstra.securityHeaders');

/** What helmet does to a response for one config: headers to set, headers to remove. */
export interface HelmetPlan {
  set: [name: string, value: string][];
  remove: string[];
  /** helmet itself, when its result may differ per request (a CSP directive given as a function). */
  dynamic?: (req: unknown, res: unknown, next: (err?: unknown) => void) => void;
}

const hasFunction = (value: unknown): boolean => typeof value === 'function'
  || (typeof value === 'object' && value !== null && Object.values(value).some(hasFunction));

/**
 * Builds helmet once for `options` (throws what helmet throws) and, unless a value is a function,
 * runs it once against a recording response: helmet's headers depend on its options only, so every
 * request gets the recorded ones.
 */
export function helmetPlan(options: Record<string, unknown>): HelmetPlan {
  const middleware = optional.helmet()(options as never) as unknown as NonNullable<HelmetPlan['dynamic']>;
  if (hasFunction(options)) return { set: [], remove: [], dynamic: middleware };
  const plan: HelmetPlan = { set: [], remove: [] };
  const recorder = {
    setHeader: (name: string, value: unknown) => { plan.set.push([name, String(value)]); },
    removeHeader: (name: string) => { plan.remove.push(name); },
  };
  middleware({}, recorder, (err) => { if (err !== undefined && err !== null) throw err; });
  return plan;
}

function rethrow(err?: unknown): void {
  if (err !== undefined && err !== null) throw err;
}

/** Applies a route's plan to the raw response, as helmet would (`res.setHeader` / `res.removeHeader`). */
function applyPlan(req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const plan = (req.routeOptions.config as unknown as Record<PropertyKey, unknown> | undefined)?.[SECURITY_HEADERS] as HelmetPlan | undefined;
  if (plan !== undefined) {
    const res = reply.raw;
    if (plan.dynamic !== undefined) plan.dynamic(req.raw, res, rethrow);
    for (const [name, value] of plan.set) res.setHeader(name, value);
    for (const name of plan.remove) res.removeHeader(name);
  }
  done();
}

/**
 * `security_headers`: helmet's headers (CSP, HSTS, X-Content-Type-Options, …). Each config is run
 * through helmet once at boot (which also checks its options) and the recorded headers are set by
 * one `onRequest` hook per listener, in the place @fastify/helmet's hook would run; a config with
 * functions as values runs helmet per request instead.
 */
export const securityHeaders: FastifyMiddleware = {
  setup(fastify) {
    fastify.addHook('onRequest', applyPlan);
  },
  build(config) {
    let plan: HelmetPlan;
    try {
      plan = helmetPlan(helmetOptions(config));
    } catch (err) {
      throw new LokstraError('LKS_ERR_MIDDLEWARE_INVALID', { name: 'security_headers', detail: (err as Error).message });
    }
    // In `config`: the not-found handler gets the app's route config too, so unmatched 404s get the headers.
    return { options: { config: { [SECURITY_HEADERS]: plan } } };
  },
};

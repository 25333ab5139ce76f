import { optional } from '../internal/optional';
import { LokstraError } from '../errors/lokstra-error';
import { HELMET_OPTIONS } from './schemas';
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

/**
 * `security_headers`: helmet's headers (CSP, HSTS, X-Content-Type-Options, …) through
 * @fastify/helmet, registered once per listener with `global: false` and configured per route.
 * Options are checked at boot by building helmet once.
 */
export const securityHeaders: FastifyMiddleware = {
  async setup(fastify) {
    await fastify.register(optional.fastifyHelmet(), { global: false });
  },
  build(config) {
    const options = helmetOptions(config);
    try {
      optional.helmet()(options as never);
    } catch (err) {
      throw new LokstraError('LKS_ERR_MIDDLEWARE_INVALID', { name: 'security_headers', detail: (err as Error).message });
    }
    // `config.helmet` too: the not-found handler gets the app's route config but no onRoute pass,
    // and @fastify/helmet reads its route options from config — so unmatched 404s get the headers.
    return { options: { helmet: options, config: { helmet: options } } };
  },
};

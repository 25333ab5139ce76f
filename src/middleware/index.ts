import type { Registry } from '../container/registry';
import { registerAuthMiddleware } from '../auth/index';
import { responseCache } from '../cache/middleware';
import { bodyLimit } from './body-limit';
import { compression } from './compression';
import { cors } from './cors';
import { recovery } from './recovery';
import { requestId } from './request-id';
import { requestLogger } from './request-logger';
import { BUILTIN_CONFIG_SCHEMAS } from './schemas';
import { CACHE_CONFIG_SCHEMA } from './schemas-cache';
import { securityHeaders } from './security-headers';
import { slowRequestLogger } from './slow-request-logger';
import { timeout } from './timeout';
import type { FastifyMiddleware } from './types';

/** The built-in middleware: name, implementation, priority (SPEC §7). */
const BUILTINS: [string, FastifyMiddleware, number, string[]?][] = [
  ['recovery', recovery, 10],
  ['request_id', requestId, 15],
  ['request_logger', requestLogger, 20],
  ['slow_request_logger', slowRequestLogger, 20],
  ['compression', compression, 20, ['gzipcompression']],
  ['cors', cors, 30],
  ['security_headers', securityHeaders, 40],
  ['body_limit', bodyLimit, 50],
  ['timeout', timeout, 50],
];

/** Registers the built-in middleware (recovery, request_id, cors…) on a registry. */
export function registerBuiltinMiddleware(registry: Registry): void {
  for (const [name, impl, priority, aliases] of BUILTINS) {
    registry.middleware(name, impl, { priority, configSchema: BUILTIN_CONFIG_SCHEMAS[name] as Record<string, unknown>, aliases: aliases ?? [] });
  }
  registerAuthMiddleware(registry);
  // After authentication and authorize (60-72): a cached answer is never served to a caller they would refuse.
  registry.middleware('cache', responseCache, { priority: 80, configSchema: CACHE_CONFIG_SCHEMA as unknown as Record<string, unknown> });
}

/* eslint-disable @typescript-eslint/no-require-imports -- the point of this file: load on first use */
import type * as Pg from 'pg';
import type * as IoRedis from 'ioredis';
import type * as PromClient from 'prom-client';
import type FastifyStatic from '@fastify/static';
import type FastifyCompress from '@fastify/compress';
import type FastifyCors from '@fastify/cors';
import type Helmet from 'helmet';
import type HandlebarsNs from 'handlebars';
import type FastJsonStringify from 'fast-json-stringify';
import type * as Jose from 'jose';
import type FastifyRateLimit from '@fastify/rate-limit';
import type FastifySession from '@fastify/session';
import type FastifyCookie from '@fastify/cookie';
import type FastifyCsrfProtection from '@fastify/csrf-protection';
import type * as Mysql2 from 'mysql2/promise';
import type BetterSqlite3 from 'better-sqlite3';
import type * as Umzug from 'umzug';
import type Ajv2020 from 'ajv/dist/2020';
import type * as Yaml from 'yaml';
import type * as Cosmiconfig from 'cosmiconfig';
import type * as Winston from 'winston';
import type * as ClassTransformer from 'class-transformer';

function once<T>(load: () => T): () => T {
  let value: T | undefined;
  let loaded = false;
  return () => {
    if (!loaded) {
      value = load();
      loaded = true;
    }
    return value as T;
  };
}

// CommonJS packages compiled from ESM put their default export on `.default`; others are the export.
function defaultOf<T>(mod: unknown): T {
  const m = mod as { default?: unknown; __esModule?: boolean };
  return (m.default !== undefined ? m.default : m) as T;
}

/** Loaders of the optional integrations. */
export interface OptionalIntegrations {
  pg: () => typeof Pg;
  ioredis: () => typeof IoRedis;
  promClient: () => typeof PromClient;
  fastifyStatic: () => typeof FastifyStatic;
  fastifyCompress: () => typeof FastifyCompress;
  fastifyCors: () => typeof FastifyCors;
  helmet: () => typeof Helmet;
  handlebars: () => typeof HandlebarsNs;
  fastJsonStringify: () => typeof FastJsonStringify;
  jose: () => typeof Jose;
  fastifyRateLimit: () => typeof FastifyRateLimit;
  fastifySession: () => typeof FastifySession;
  fastifyCookie: () => typeof FastifyCookie;
  fastifyCsrfProtection: () => typeof FastifyCsrfProtection;
  fastifyOAuth2: () => unknown;
  mysql2: () => typeof Mysql2;
  betterSqlite3: () => typeof BetterSqlite3;
  umzug: () => typeof Umzug;
  /** ajv's JSON Schema 2020-12 class: config, middleware-config and DTO schemas are compiled on first need. */
  ajv2020: () => typeof Ajv2020;
  /** Only to read YAML config files. */
  yaml: () => typeof Yaml;
  /** Only to discover a config file. */
  cosmiconfig: () => typeof Cosmiconfig;
  /** Once a logger writes a line at an enabled level. */
  winston: () => typeof Winston;
  /** class-transformer's entry point, for DTOs and settings that need plainToInstance. */
  classTransformer: () => typeof ClassTransformer;
  /** @fastify/rate-limit's stores (untyped CommonJS constructors). */
  rateLimitStores: () => { LocalStore: new (continueExceeding: boolean, exponentialBackoff: boolean, cache?: number) => unknown; RedisStore: new (continueExceeding: boolean, exponentialBackoff: boolean, redis: unknown, key?: string) => unknown };
}

/**
 * The optional integrations, each `require`d the first time a config or code uses it, so that
 * `require('lokstra')` loads none of them (SPEC-2 §1; `test/package/lazy-integrations.test.ts`).
 * Type-only imports above cost nothing at run time.
 */
export const optional: OptionalIntegrations = {
  pg: once(() => require('pg') as typeof Pg),
  ioredis: once(() => require('ioredis') as typeof IoRedis),
  promClient: once(() => require('prom-client') as typeof PromClient),
  fastifyStatic: once(() => defaultOf<typeof FastifyStatic>(require('@fastify/static'))),
  fastifyCompress: once(() => defaultOf<typeof FastifyCompress>(require('@fastify/compress'))),
  fastifyCors: once(() => defaultOf<typeof FastifyCors>(require('@fastify/cors'))),
  helmet: once(() => defaultOf<typeof Helmet>(require('helmet'))),
  handlebars: once(() => defaultOf<typeof HandlebarsNs>(require('handlebars'))),
  fastJsonStringify: once(() => defaultOf<typeof FastJsonStringify>(require('fast-json-stringify'))),
  jose: once(() => require('jose') as typeof Jose),
  fastifyRateLimit: once(() => defaultOf<typeof FastifyRateLimit>(require('@fastify/rate-limit'))),
  fastifySession: once(() => defaultOf<typeof FastifySession>(require('@fastify/session'))),
  fastifyCookie: once(() => defaultOf<typeof FastifyCookie>(require('@fastify/cookie'))),
  fastifyCsrfProtection: once(() => defaultOf<typeof FastifyCsrfProtection>(require('@fastify/csrf-protection'))),
  fastifyOAuth2: once(() => defaultOf<unknown>(require('@fastify/oauth2'))),
  mysql2: once(() => require('mysql2/promise') as typeof Mysql2),
  betterSqlite3: once(() => defaultOf<typeof BetterSqlite3>(require('better-sqlite3'))),
  umzug: once(() => require('umzug') as typeof Umzug),
  ajv2020: once(() => defaultOf<typeof Ajv2020>(require('ajv/dist/2020'))),
  yaml: once(() => require('yaml') as typeof Yaml),
  cosmiconfig: once(() => require('cosmiconfig') as typeof Cosmiconfig),
  winston: once(() => require('winston') as typeof Winston),
  classTransformer: once(() => require('class-transformer') as typeof ClassTransformer),
  rateLimitStores: once(() => ({
    LocalStore: require('@fastify/rate-limit/store/LocalStore') as ReturnType<OptionalIntegrations['rateLimitStores']>['LocalStore'],
    RedisStore: require('@fastify/rate-limit/store/RedisStore') as ReturnType<OptionalIntegrations['rateLimitStores']>['RedisStore'],
  })),
};

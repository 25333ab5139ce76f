import 'reflect-metadata';
// Types MiddlewareFn with Context and Response (declaration merging; no runtime code).
import './http/middleware-types';

export { Lokstra, type LokstraOptions, type LokstraHandle } from './lokstra';
export {
  Route, Get, Post, Put, Patch, Delete, Head, Options, All, Use, Accepts, Raw, Handler,
  Path, Query, Header, Body, Bind, Ctx, Service, Inject, Module, defineModule, createParamDecorator,
  Returns, Doc, type ServiceOptions, type ReturnsOptions,
} from './decorators/index';
export { Context, type ContextLogger, type RequestScope } from './http/context';
export {
  Roles, Scopes, Public, Auth, apiKeyHash, routeAuth,
  type AuthInfo, type ApiKeyRecord, type ApiKeyStore, type RouteAuth, type AttachmentLike, type SessionHandle, type OAuth2Login,
} from './auth/exports';
export { App, type AppHandle } from './http/app';
export { Router, type HandlerLike, type MountOptions } from './http/routing/router';
export { bind, type BoundHandler } from './http/routing/bind-handler';
export { Response, paginationMeta, type Envelope, type PaginationInput } from './http/response/response';
export type { ErrorMapper } from './http/response/to-response';
export type {
  ErrorFormatter, NormalizedError, ErrorContext, ErrorKind, FormattedError, ResponseKind,
} from './http/contract/index';
export { HttpError, LokstraError, ERROR_CODES, type ErrorCode, type FieldErrors, type HttpErrorOptions } from './errors/index';
export { Registry, type MiddlewareOptions } from './container/registry';
export type {
  FastifyMiddleware, RouteContribution, RouteInfo, RouteHookName, MiddlewareEnv, ListenerContext,
} from './middleware/types';
export { ServiceContainer } from './container/service-container';
export type { Lifecycle } from './container/lifecycle';
export { loadConfig, parseYaml, SEARCH_PLACES, parseDuration, parseSize } from './config/index';
export type {
  LokstraConfig, AppConfig, GroupConfig, RouteConfig, ServiceConfig, ModuleConfig, ServerConfig,
  GlobalSettingConfig, MiddlewareConfig, EnvResolver, OpenApiConfig,
} from './config/index';
export { buildOpenApiDocument, type OpenApiDocument, type OpenApiDocumentOptions } from './openapi/index';
export { createLogger, type Logger, type LoggerOptions } from './services/logger';
export { isSecretKey } from './internal/secrets';
export { HTTP_CONTRIBUTION } from './metadata/types';
export type {
  HttpContribution, ContributedRoute, LifecycleState, DocMeta, ReturnsMeta,
  HttpMethod, Scope, SourceOptions, AcceptKind, MiddlewareFn, MiddlewareRef, MiddlewareFactory, MiddlewareFactoryEnv, MiddlewareDefinition,
  ModuleDefinition, ModuleRef, DefinedModule, Provider, ServiceFactory, ServiceFactoryContext, Token, Class,
} from './metadata/types';
export { createLoggerService, type LoggerService, type LogLevel } from './services/logger';
export { toFastifyLogger, type FastifyLoggerAdapter, type FastifyLoggerOptions, type PinoLevel, type PinoLogFn } from './services/fastify-logger';
export {
  quoteIdent, mapPgError,
  type DbPool, type DbExecutor, type DbConnection, type DbTx, type DbPoolStats, type SqlParams, type TransactionOptions,
  type AnyDbPool, type DbDialect,
} from './services/dbpool-pg/index';
export { mapMysqlError, type MysqlDbPool } from './db/mysql/index';
export { mapSqliteError, type SqliteDbPool } from './db/sqlite/index';
export { cache } from './cache/store';
export { Storage, type StorageOptions } from './storage/index';
export { Migrator, MIGRATIONS_TABLE, type MigratorOptions, type MigrationStatus } from './db/migrate/migrator';
export { mapRedisError, type RedisService } from './services/redis/index';
export { MemoryKvStore, RedisKvStore, type KvStore, type Ttl, type MemoryKvStoreOptions, type RedisKvStoreOptions } from './services/kvstore/index';
export { UNMATCHED_ROUTE, OTHER_METHOD, METRICS_HANDLER, type MetricsService } from './services/metrics/index';
export {
  HEALTH_CHECK, HEALTH_HANDLERS,
  type HealthService, type HealthCheck, type HealthCheckFn, type HealthCheckProvider, type HealthCheckResult, type HealthStatus,
  type CheckReport, type HealthReport, type Readiness, type NotReadyReason,
} from './services/health/index';

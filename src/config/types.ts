import type { Class } from '../internal/types';
import type { AcceptKind, HttpMethod, MiddlewareFn, ModuleRef } from '../metadata/types';

/** A middleware as written in YAML: a name, or a name with config (`enabled: false` skips it). */
export type MiddlewareConfig = string | MiddlewareFn | { name: string; config?: Record<string, unknown>; enabled?: boolean; priority?: number };

/** `server.global_setting`. Durations: `500ms`, `30s`, `5m` or ms; sizes: `1mb`, `512kb` or bytes. */
export interface GlobalSettingConfig {
  log_level?: 'debug' | 'info' | 'warn' | 'error';
  log_format?: 'json' | 'text';
  shutdown_timeout?: string | number;
  request_timeout?: string | number;
  handler_timeout?: string | number;
  headers_timeout?: string | number;
  keep_alive_timeout?: string | number;
  send_timeout?: string | number;
  start_timeout?: string | number;
  max_header_size?: string | number;
  body_limit?: string | number;
  max_param_length?: number;
  max_json_depth?: number;
  max_string_length?: number;
  max_array_length?: number;
  max_object_keys?: number;
  trust_proxy?: boolean | number | string | string[];
  ignore_trailing_slash?: boolean;
}

export interface ServerConfig {
  name?: string;
  global_setting?: GlobalSettingConfig;
}

/** A route declared in config; `handler` is a registered name (or a function in code). */
export interface RouteConfig {
  method: HttpMethod | Lowercase<HttpMethod>;
  path: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  handler: string | ((...args: any[]) => unknown);
  middleware?: MiddlewareConfig[];
  override_middleware?: boolean;
  accepts?: AcceptKind[];
  /** `false`: handler values are sent as plain JSON, not in Lokstra's envelope. */
  envelope?: boolean;
}

/** Response shaping of an app or group: envelope on/off, the error formatter, the validation status. */
export interface ResponseScopeConfig {
  /** `false`: handler values are sent as plain JSON, not in Lokstra's envelope. */
  envelope?: boolean;
  /** Name of a registered handler `(error, ctx) => { status, headers?, body }` that shapes every error of the scope. */
  error_format?: string;
  /** Status of `VALIDATION_ERROR` responses (e.g. 422). */
  validation_status?: number;
}

/** A route group: prefix, middleware, controllers, routes and nested groups. */
export interface GroupConfig extends ResponseScopeConfig {
  prefix: string;
  /** YAML files whose `routes` and `groups` join this group (relative to the including file). */
  load_from?: string[];
  include?: string[];
  middleware?: MiddlewareConfig[];
  override_middleware?: boolean;
  accepts?: AcceptKind[];
  controllers?: (string | Class)[];
  routes?: RouteConfig[];
  groups?: GroupConfig[];
}

export interface AppConfig extends ResponseScopeConfig {
  name: string;
  /** `host:port`, `:port` (= all interfaces) or a port number. */
  address?: string | number;
  accepts?: AcceptKind[];
  middleware?: MiddlewareConfig[];
  controllers?: (string | Class)[];
  routes?: RouteConfig[];
  groups?: GroupConfig[];
  /** Folders served under a prefix (tried in order; `spa: true` falls back to index.html). */
  mount_static?: StaticMountConfig[];
  /** Single-page apps: unknown extension-less paths get index.html. */
  mount_spa?: StaticMountConfig[];
  /** HTMX pages: folders with `pages/` and `layouts/`. */
  mount_htmx?: { prefix: string; sources: string[] }[];
  /** Reverse proxies: the prefix is stripped and the rest appended to `target`. */
  mount_reverse_proxy?: { prefix: string; target: string }[];
  /** An OpenAPI 3.1 document of the app's routes, and Swagger UI. */
  openapi?: OpenApiConfig;
}

/** `apps[].openapi`: where the document and Swagger UI are served, and the document's `info`. */
export interface OpenApiConfig {
  /** Default `/openapi.json`. */
  path?: string;
  /** Default `/docs`; `false` serves no UI. */
  ui?: string | false;
  /** Default: the app's name. */
  title?: string;
  /** Default `1.0.0`. */
  version?: string;
  description?: string;
  servers?: { url: string; description?: string }[];
}

export interface StaticMountConfig {
  prefix: string;
  folder: string | string[];
  spa?: boolean;
}

export interface ServiceConfig {
  name: string;
  type: string;
  config?: Record<string, unknown>;
  depends_on?: string[];
}

export interface ModuleConfig {
  name: string;
  path?: string;
  settings?: Record<string, unknown>;
  required_services?: string[];
}

/** The whole configuration, as in `lokstra.config.yaml`; a config object may also carry `modules` in code form. */
export interface LokstraConfig {
  server?: ServerConfig;
  services?: ServiceConfig[];
  apps?: AppConfig[];
  modules?: (ModuleConfig | ModuleRef)[];
}

/** Where a config came from, for error messages. */
export interface LoadedConfig {
  config: LokstraConfig;
  /** The file (or directory) it was read from; `undefined` for objects. */
  source: string | undefined;
  /** Non-fatal findings (legacy Go keys…), to be logged. */
  warnings: string[];
}

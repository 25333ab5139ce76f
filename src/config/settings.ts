import { LokstraError } from '../errors/lokstra-error';
import type { GlobalSettingConfig } from './types';
import { parseDuration, parseSize } from './units';

/** `server.global_setting` with units parsed and defaults applied. */
export interface Settings {
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  logFormat: 'json' | 'text';
  shutdownTimeout: number;
  startTimeout: number;
  requestTimeout: number;
  handlerTimeout: number;
  headersTimeout: number;
  keepAliveTimeout: number;
  sendTimeout: number;
  maxHeaderSize: number;
  bodyLimit: number;
  maxParamLength: number;
  maxJsonDepth: number;
  maxStringLength: number;
  maxArrayLength: number;
  maxObjectKeys: number;
  trustProxy: boolean | number | string | string[];
  ignoreTrailingSlash: boolean;
}

/** Defaults for a public server (Node's own defaults are unsafe: no request timeout, 72 s keep-alive in Fastify). */
export const DEFAULT_SETTINGS = {
  logLevel: 'info',
  logFormat: 'json',
  shutdownTimeout: 10_000,
  startTimeout: 10_000,
  requestTimeout: 30_000,
  handlerTimeout: 0,
  headersTimeout: 10_000,
  keepAliveTimeout: 5_000,
  sendTimeout: 60_000,
  maxHeaderSize: 16 * 1024,
  bodyLimit: 1024 * 1024,
  maxParamLength: 500,
  maxJsonDepth: 64,
  maxStringLength: 256 * 1024,
  maxArrayLength: 10_000,
  maxObjectKeys: 1000,
  trustProxy: false,
  ignoreTrailingSlash: true,
} as const satisfies Settings;

function duration(raw: unknown, key: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const v = parseDuration(raw);
  if (v === undefined) throw new LokstraError('LKS_ERR_CONFIG_INVALID', { path: `server.global_setting.${key}`, detail: `expected a duration like 500ms, 30s, 5m or a number of ms, got ${JSON.stringify(raw)}` });
  return v;
}

function size(raw: unknown, key: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const v = parseSize(raw);
  if (v === undefined || v <= 0) throw new LokstraError('LKS_ERR_CONFIG_INVALID', { path: `server.global_setting.${key}`, detail: `expected a size like 1mb, 512kb or a positive number of bytes, got ${JSON.stringify(raw)}` });
  return v;
}

/** Resolves `global_setting` into {@link Settings}. */
export function resolveSettings(g: GlobalSettingConfig = {}): Settings {
  const d = DEFAULT_SETTINGS;
  return {
    logLevel: g.log_level ?? d.logLevel,
    logFormat: g.log_format ?? d.logFormat,
    shutdownTimeout: duration(g.shutdown_timeout, 'shutdown_timeout', d.shutdownTimeout),
    startTimeout: duration(g.start_timeout, 'start_timeout', d.startTimeout),
    requestTimeout: duration(g.request_timeout, 'request_timeout', d.requestTimeout),
    handlerTimeout: duration(g.handler_timeout, 'handler_timeout', d.handlerTimeout),
    headersTimeout: duration(g.headers_timeout, 'headers_timeout', d.headersTimeout),
    keepAliveTimeout: duration(g.keep_alive_timeout, 'keep_alive_timeout', d.keepAliveTimeout),
    sendTimeout: duration(g.send_timeout, 'send_timeout', d.sendTimeout),
    maxHeaderSize: size(g.max_header_size, 'max_header_size', d.maxHeaderSize),
    bodyLimit: size(g.body_limit, 'body_limit', d.bodyLimit),
    maxParamLength: g.max_param_length ?? d.maxParamLength,
    maxJsonDepth: g.max_json_depth ?? d.maxJsonDepth,
    maxStringLength: g.max_string_length ?? d.maxStringLength,
    maxArrayLength: g.max_array_length ?? d.maxArrayLength,
    maxObjectKeys: g.max_object_keys ?? d.maxObjectKeys,
    trustProxy: g.trust_proxy ?? d.trustProxy,
    ignoreTrailingSlash: g.ignore_trailing_slash ?? d.ignoreTrailingSlash,
  };
}

/** A listen address: TCP host and port, or a unix socket path. */
export type ListenAddress = { host: string; port: number; path?: undefined } | { path: string; host?: undefined; port?: undefined };

/** Parses `:8080` (all interfaces), `host:port`, `unix:/path` or a port number. */
export function parseAddress(raw: string | number | undefined, where: string): ListenAddress {
  if (raw === undefined) return { host: '0.0.0.0', port: 8080 };
  if (typeof raw === 'number') return { host: '0.0.0.0', port: checkPort(raw, where, raw) };
  if (raw.startsWith('unix:')) return { path: raw.slice(5) };
  const at = raw.lastIndexOf(':');
  const host = at <= 0 ? '0.0.0.0' : raw.slice(0, at).replace(/^\[|\]$/g, '');
  const portText = at === -1 ? raw : raw.slice(at + 1);
  return { host, port: checkPort(/^\d+$/.test(portText) ? Number(portText) : NaN, where, raw) };
}

function checkPort(port: number, where: string, raw: unknown): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new LokstraError('LKS_ERR_CONFIG_INVALID', { path: where, detail: `expected an address like ":8080", "127.0.0.1:8080" or "unix:/path", got ${JSON.stringify(raw)}` });
  }
  return port;
}

/** A stable key for grouping apps on one listener. */
export function addressKey(a: ListenAddress): string {
  return a.path !== undefined ? `unix:${a.path}` : `${a.host}:${a.port}`;
}

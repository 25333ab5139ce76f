import { format } from 'node:util';
import type { Logger } from './logger';
import { redactLogValue, redactSecretsInText } from '../internal/redact-text';

/** Pino's level names, as Fastify uses them. */
export type PinoLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** A pino log method: `(msg, ...args)` or `(obj, msg?, ...args)`. */
export type PinoLogFn = (objOrMsg: unknown, msg?: unknown, ...args: unknown[]) => void;

/** The pino-shaped logger Fastify 5 accepts as `loggerInstance`. */
export interface FastifyLoggerAdapter {
  level: PinoLevel;
  fatal: PinoLogFn;
  error: PinoLogFn;
  warn: PinoLogFn;
  info: PinoLogFn;
  debug: PinoLogFn;
  trace: PinoLogFn;
  silent: PinoLogFn;
  child(bindings: Record<string, unknown>, options?: { level?: string }): FastifyLoggerAdapter;
}

/** Options of {@link toFastifyLogger}. */
export interface FastifyLoggerOptions {
  /** The adapter's threshold; default: the logger's own level (`logger.level`) or `info`. */
  level?: PinoLevel;
}

const VALUES: Record<PinoLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };
// winston level names → pino's (winston's `http`/`verbose` sit between info and debug, `silly` below debug).
const FROM_WINSTON: Record<string, PinoLevel> = { error: 'error', warn: 'warn', info: 'info', http: 'debug', verbose: 'debug', debug: 'debug', silly: 'trace' };

function toLevel(value: unknown): PinoLevel {
  if (typeof value === 'string' && value in VALUES) return value as PinoLevel;
  throw new TypeError(`unknown log level '${String(value)}'; levels: ${Object.keys(VALUES).join(', ')}`);
}

// Fastify logs its request and reply objects (pino serializes them); only safe, small fields are kept.
function serialize(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'msg') continue;
    if (k === 'req' && v !== null && typeof v === 'object') {
      const r = v as { method?: string; url?: string; hostname?: string; host?: string; ip?: string };
      out.req = { method: r.method, url: r.url, host: r.host ?? r.hostname, remoteAddress: r.ip };
    } else if (k === 'res' && v !== null && typeof v === 'object') {
      out.res = { statusCode: (v as { statusCode?: number }).statusCode };
    } else if (v instanceof Error) {
      out[k] = { type: v.name, message: v.message, stack: v.stack };
    } else {
      out[k] = v;
    }
  }
  return out;
}

// Fastify binds `reqId`; Lokstra's own request lines use `requestId`, so every line of a request agrees.
function renameBindings(bindings: Record<string, unknown>): Record<string, unknown> {
  if (!('reqId' in bindings)) return bindings;
  const { reqId, ...rest } = bindings;
  return { requestId: reqId, ...rest };
}

// Level methods take fixed parameters (no rest array) so that a call below the threshold allocates nothing.
function formatArgs(c: unknown, d: unknown, e: unknown): unknown[] {
  if (e !== undefined) return [c, d, e];
  if (d !== undefined) return [c, d];
  return c !== undefined ? [c] : [];
}

class PinoAdapter implements FastifyLoggerAdapter {
  private threshold = VALUES.info;
  private current: PinoLevel = 'info';
  private resolved: Logger | undefined;
  private readonly parent: PinoAdapter | undefined;
  private readonly bindings: Record<string, unknown> | undefined;

  constructor(level: PinoLevel, root: Logger | undefined, parent?: PinoAdapter, bindings?: Record<string, unknown>) {
    this.level = level;
    this.resolved = root;
    this.parent = parent;
    this.bindings = bindings;
  }

  get level(): PinoLevel {
    return this.current;
  }
  set level(level: PinoLevel) {
    this.current = toLevel(level);
    this.threshold = VALUES[this.current];
  }

  // The winston child is created on the first line actually written, never for silent requests.
  private target(): Logger {
    return (this.resolved ??= (this.parent as PinoAdapter).target().child(renameBindings(this.bindings ?? {})));
  }

  private write(level: PinoLevel, a: unknown, b: unknown, rest: unknown[]): void {
    let message: string;
    let meta: Record<string, unknown> | undefined;
    if (a instanceof Error) {
      message = typeof b === 'string' ? format(b, ...rest) : a.message;
      meta = { err: { type: a.name, message: a.message, stack: a.stack } };
    } else if (a !== null && typeof a === 'object') {
      const msg = (a as { msg?: unknown }).msg;
      message = typeof b === 'string' ? format(b, ...rest) : typeof msg === 'string' ? msg : '';
      meta = serialize(a as Record<string, unknown>);
    } else {
      message = b === undefined && rest.length === 0 ? String(a) : format(a, b, ...rest);
    }
    // Redacted here too, so a logger passed in by the user (not Lokstra's sink) never gets Fastify's secrets.
    message = redactSecretsInText(message);
    meta = meta === undefined ? undefined : (redactLogValue(meta) as Record<string, unknown>);
    const log = this.target();
    if (level === 'fatal') log.error(message, { ...meta, fatal: true });
    else if (level === 'trace') log.debug(message, { ...meta, trace: true });
    else log[level as 'error' | 'warn' | 'info' | 'debug'](message, meta);
  }

  fatal(a: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown): void {
    if (VALUES.fatal >= this.threshold) this.write('fatal', a, b, formatArgs(c, d, e));
  }
  error(a: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown): void {
    if (VALUES.error >= this.threshold) this.write('error', a, b, formatArgs(c, d, e));
  }
  warn(a: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown): void {
    if (VALUES.warn >= this.threshold) this.write('warn', a, b, formatArgs(c, d, e));
  }
  info(a: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown): void {
    if (VALUES.info >= this.threshold) this.write('info', a, b, formatArgs(c, d, e));
  }
  debug(a: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown): void {
    if (VALUES.debug >= this.threshold) this.write('debug', a, b, formatArgs(c, d, e));
  }
  trace(a: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown): void {
    if (VALUES.trace >= this.threshold) this.write('trace', a, b, formatArgs(c, d, e));
  }
  silent(): void {
    // pino's no-op level method.
  }

  child(bindings: Record<string, unknown>, options?: { level?: string }): FastifyLoggerAdapter {
    const level = options?.level === undefined ? this.current : toLevel(options.level);
    // A silent child could never write: hand back this adapter instead of allocating one per request.
    if (level === 'silent' && this.current === 'silent') return this;
    return new PinoAdapter(level, undefined, this, bindings);
  }
}

/**
 * Wraps a Lokstra {@link Logger} in the pino-shaped object Fastify 5 expects (`fatal`, `trace`,
 * `child`, `level`…). Nothing is allocated for a line below the threshold, and the winston child
 * of `child(bindings)` is created only when that child first writes a line. `reqId` bindings are
 * logged as `requestId`.
 * @example
 * const app = fastify({ loggerInstance: toFastifyLogger(createLogger({ level: 'info' })) });
 */
export function toFastifyLogger(logger: Logger, options: FastifyLoggerOptions = {}): FastifyLoggerAdapter {
  const own = (logger as { level?: unknown }).level;
  const level = options.level ?? (typeof own === 'string' ? FROM_WINSTON[own] : undefined) ?? 'info';
  return new PinoAdapter(level, logger);
}

import type winston from 'winston';
import type { ServiceFactoryContext } from '../metadata/types';
import { serviceConfig } from './internal/config-reader';
import { redactLogValue } from '../internal/redact-text';
import { optional } from '../internal/optional';

/** A logger: winston's levels, structured meta, children that carry fields. */
export interface Logger {
  error(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  debug(message: string, meta?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

/** The levels a Lokstra logger knows, most severe first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  level?: LogLevel;
  format?: 'json' | 'text';
  /** Output stream; default stdout. Wins over `output`. */
  stream?: NodeJS.WritableStream;
  /** Where lines go when no `stream` is given: `stdout` (default), `stderr`, or `file`. */
  output?: 'stdout' | 'stderr' | 'file';
  /** File path when `output` is `file` (appended to, created if missing). */
  file?: string;
}

/** The `lokstra.logger` service: a {@link Logger} that knows its level and closes its file at shutdown. */
export interface LoggerService extends Logger {
  /** The current threshold; assignable. */
  level: LogLevel;
  /** True when a line at `level` would be written. */
  isLevelEnabled(level: LogLevel): boolean;
  /** Flushes and closes a file output (stdout/stderr are left open). Idempotent. */
  close(): Promise<void>;
}

/** Config keys of `lokstra.logger` (kept equal to the schema's by a test). */
export const LOGGER_CONFIG_KEYS = ['level', 'format', 'output', 'file'] as const;

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
const CLOSE_BUDGET_MS = 2000;

const MESSAGE = Symbol.for('message');
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const UNESCAPED_BY_JSON = /[\u007f-\u009f\u2028\u2029]/g;
const escapeChar = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

type Winston = typeof winston;
// winston is loaded (optional.winston) when a logger first writes a line at an enabled level: a
// deployment at `warn` that has nothing to say at boot never pays for loading it (~30 ms).

interface Formats { textLine: winston.Logform.Format; escapeUnsafe: () => winston.Logform.Format; redactSecrets: () => winston.Logform.Format }
let formats: Formats | undefined;

function lokstraFormats(w: Winston): Formats {
  formats ??= {
    // `2026-01-01T00:00:00.000Z INFO message {"key":"value"}`: one line per entry, whatever the message
    // holds (control characters escaped, so a CR/LF in user input cannot forge a line), fields as JSON.
    textLine: w.format.printf((info) => {
      const { level, message, timestamp, ...rest } = info as Record<string, unknown>;
      const fields = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
      return `${String(timestamp)} ${String(level).toUpperCase()} ${String(message).replace(CONTROL, escapeChar)}${fields}`;
    }),
    // JSON.stringify leaves DEL, the C1 controls and U+2028/U+2029 raw (inside strings, where an escape
    // is equally valid JSON), and terminals and log viewers act on them: escaped in every format.
    escapeUnsafe: w.format((info) => {
      const line = (info as Record<symbol, unknown>)[MESSAGE];
      if (typeof line === 'string') (info as Record<symbol, unknown>)[MESSAGE] = line.replace(UNESCAPED_BY_JSON, escapeChar);
      return info;
    }),
    // Secrets inside messages, stacks and fields (DSN passwords, `api_key=…`, bearer tokens,
    // secret-named keys) are removed here, at the sink, so every path — Lokstra's own lines, Fastify's
    // warnings through the adapter, user code — is covered. Nested values are copied, never mutated.
    redactSecrets: w.format((info) => {
      const entry = info as Record<string, unknown>;
      const redacted = redactLogValue(entry) as Record<string, unknown>;
      for (const key of Object.keys(entry)) if (key !== 'level') entry[key] = redacted[key];
      return info;
    }),
  };
  return formats;
}

function buildWinston(options: LoggerOptions, level: LogLevel): { logger: winston.Logger; file: winston.transport | undefined } {
  const w = optional.winston();
  const f = lokstraFormats(w);
  const format = w.format.combine(
    w.format.timestamp(),
    w.format.errors({ stack: true }),
    f.redactSecrets(),
    options.format === 'text' ? f.textLine : w.format.json(),
    f.escapeUnsafe(),
  );
  let transport: winston.transport;
  let file: winston.transport | undefined;
  if (options.stream !== undefined) {
    transport = new w.transports.Stream({ stream: options.stream });
  } else if (options.output === 'file') {
    transport = file = new w.transports.File({ filename: options.file as string });
  } else {
    transport = new w.transports.Stream({ stream: options.output === 'stderr' ? process.stderr : process.stdout });
  }
  return { logger: w.createLogger({ level, format, transports: [transport] }), file };
}

/**
 * Creates a winston logger writing one JSON object (or one text line) per entry.
 * @example
 * const log = createLogger({ level: 'debug', format: 'text' });
 * log.child({ requestId }).info('user created', { id });
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  return new WinstonLoggerService(options);
}

const rank = (level: LogLevel): number => LEVELS.indexOf(level);

/** A child before winston is loaded: its fields, resolved to a winston child on the first enabled line. */
class PendingChild implements Logger {
  private real: Logger | undefined;
  constructor(private readonly root: WinstonLoggerService, private readonly fields: Record<string, unknown>) {}
  private write(level: LogLevel, message: string, meta?: Record<string, unknown>): void {
    if (!this.root.isLevelEnabled(level)) return;
    this.real ??= this.root.winston().child(this.fields) as unknown as Logger;
    this.real[level](message, meta);
  }
  error(message: string, meta?: Record<string, unknown>): void { this.write('error', message, meta); }
  warn(message: string, meta?: Record<string, unknown>): void { this.write('warn', message, meta); }
  info(message: string, meta?: Record<string, unknown>): void { this.write('info', message, meta); }
  debug(message: string, meta?: Record<string, unknown>): void { this.write('debug', message, meta); }
  child(fields: Record<string, unknown>): Logger {
    return this.real !== undefined ? this.real.child(fields) : new PendingChild(this.root, { ...this.fields, ...fields });
  }
}

class WinstonLoggerService implements LoggerService {
  private w: winston.Logger | undefined;
  private file: winston.transport | undefined;
  private current: LogLevel;
  private closed: Promise<void> | undefined;

  constructor(private readonly options: LoggerOptions) {
    if (options.stream === undefined && options.output === 'file' && !options.file) throw new TypeError("createLogger: output 'file' needs a file path");
    this.current = options.level ?? 'info';
    if (!LEVELS.includes(this.current)) throw new TypeError(`unknown log level '${String(this.current)}'; levels: ${LEVELS.join(', ')}`);
  }

  /** The winston logger, created on first need. */
  winston(): winston.Logger {
    if (this.w === undefined) {
      const built = buildWinston(this.options, this.current);
      this.w = built.logger;
      this.file = built.file;
    }
    return this.w;
  }

  get level(): LogLevel {
    return this.current;
  }
  set level(level: LogLevel) {
    if (!LEVELS.includes(level)) throw new TypeError(`unknown log level '${String(level)}'; levels: ${LEVELS.join(', ')}`);
    this.current = level;
    if (this.w !== undefined) this.w.level = level;
  }
  isLevelEnabled(level: LogLevel): boolean {
    return rank(level) >= rank(this.current);
  }
  error(message: string, meta?: Record<string, unknown>): void {
    this.winston().error(message, meta);
  }
  warn(message: string, meta?: Record<string, unknown>): void {
    if (this.isLevelEnabled('warn')) this.winston().warn(message, meta);
  }
  info(message: string, meta?: Record<string, unknown>): void {
    if (this.isLevelEnabled('info')) this.winston().info(message, meta);
  }
  debug(message: string, meta?: Record<string, unknown>): void {
    if (this.isLevelEnabled('debug')) this.winston().debug(message, meta);
  }
  child(fields: Record<string, unknown>): Logger {
    return this.w !== undefined ? this.w.child(fields) as unknown as Logger : new PendingChild(this, fields);
  }

  close(): Promise<void> {
    const file = this.file;
    const w = this.w;
    // Ending the logger would end stdout/stderr streams too: only a file output is closed.
    this.closed ??= file === undefined || w === undefined ? Promise.resolve() : new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, CLOSE_BUDGET_MS);
      timer.unref();
      file.once('finish', () => {
        clearTimeout(timer);
        resolve();
      });
      w.end();
    });
    return this.closed;
  }

  onStop(): Promise<void> {
    return this.close();
  }
}

/**
 * Creates the logger service (`lokstra.logger`): a {@link Logger} with a settable level that
 * closes its file output at shutdown.
 * @example
 * const log = createLoggerService({ output: 'file', file: 'app.log', format: 'text' });
 */
export function createLoggerService(options: LoggerOptions = {}): LoggerService {
  return new WinstonLoggerService(options);
}

/** The `lokstra.logger` factory: `level`, `format` (json|text), `output` (stdout|stderr|file), `file`. */
export function loggerFactory(config: Record<string, unknown>, ctx: ServiceFactoryContext): LoggerService {
  const c = serviceConfig(ctx.name, config, LOGGER_CONFIG_KEYS);
  const level = c.string('level', 'info');
  if (!LEVELS.includes(level as LogLevel)) c.fail('level', `expected one of ${LEVELS.join(', ')}, got '${level}'`);
  const format = c.string('format', 'json');
  if (format !== 'json' && format !== 'text') c.fail('format', `expected json or text, got '${format}'`);
  const output = c.string('output', 'stdout');
  if (output !== 'stdout' && output !== 'stderr' && output !== 'file') c.fail('output', `expected stdout, stderr or file, got '${output}'`);
  const file = c.string('file');
  if (output === 'file' && !file) c.fail('file', "output 'file' needs a file path");
  return createLoggerService({ level: level as LogLevel, format: format as 'json' | 'text', output: output as 'stdout' | 'stderr' | 'file', ...(file ? { file } : {}) });
}

/** True for a value usable as a {@link Logger}. */
export function isLogger(value: unknown): value is Logger {
  const v = value as Partial<Logger> | null;
  return typeof v === 'object' && v !== null && typeof v.error === 'function' && typeof v.warn === 'function'
    && typeof v.info === 'function' && typeof v.child === 'function';
}

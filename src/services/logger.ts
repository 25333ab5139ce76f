import winston from 'winston';

/** A logger: winston's levels, structured meta, children that carry fields. */
export interface Logger {
  error(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  debug(message: string, meta?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  level?: 'debug' | 'info' | 'warn' | 'error';
  format?: 'json' | 'text';
  /** Output stream; default stdout. */
  stream?: NodeJS.WritableStream;
}

/**
 * Creates a winston logger writing one JSON object (or one text line) per entry.
 * @example
 * const log = createLogger({ level: 'debug', format: 'text' });
 * log.child({ requestId }).info('user created', { id });
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const format = options.format === 'text'
    ? winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.simple())
    : winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json());
  return winston.createLogger({
    level: options.level ?? 'info',
    format,
    transports: [new winston.transports.Stream({ stream: options.stream ?? process.stdout })],
  }) as unknown as Logger;
}

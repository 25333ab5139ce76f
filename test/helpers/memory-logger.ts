import type { Logger } from '../../src/index';

/** One captured log line. */
export interface LogLine {
  level: string;
  message: string;
  meta: Record<string, unknown> | undefined;
}

/** A logger that keeps its lines in memory (tests must not print, and may inspect what was logged). */
export function memoryLogger(lines: LogLine[] = []): Logger & { lines: LogLine[] } {
  const make = (fields: Record<string, unknown>): Logger & { lines: LogLine[] } => {
    const log = (level: string) => (message: string, meta?: Record<string, unknown>): void => {
      lines.push({ level, message, meta: { ...fields, ...meta } });
    };
    return {
      lines,
      error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug'),
      child: (more) => make({ ...fields, ...more }),
    };
  };
  return make({});
}

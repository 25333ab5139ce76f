import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../../src/index';

/** A logger that writes nowhere: fault tests produce expected errors that would bury the timings. */
export function quietLogger(): Logger {
  return createLogger({ level: 'error', stream: new Writable({ write: (_chunk, _enc, done) => done() }) });
}

/** Lines written to a logger, parsed (JSON format). */
export function capturingLogger(level: 'debug' | 'info' | 'warn' | 'error' = 'debug'): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write: (chunk: Buffer, _enc, done) => {
      for (const l of chunk.toString().split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ level, stream }), lines };
}

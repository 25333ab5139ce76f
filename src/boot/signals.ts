/** What signal handling needs of a handle. */
export interface Closable {
  readonly logger: { info(message: string): void; warn(message: string): void; error(message: string, meta?: Record<string, unknown>): void };
  close(): Promise<void>;
}

/**
 * Boot stage "shutdown": SIGTERM/SIGINT close the handle (drain, then stop services) and exit; a
 * second signal forces the exit. `close()` removes the handlers again.
 */
export function installSignals(handle: Closable): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      handle.logger.warn(`second ${signal}: forcing exit`);
      process.exit(1);
    }
    stopping = true;
    handle.logger.info(`${signal} received: shutting down`);
    handle.close().then(() => process.exit(0), (err: unknown) => {
      handle.logger.error('shutdown failed', { error: String(err) });
      process.exit(1);
    });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const originalClose = handle.close;
  (handle as { close: () => Promise<void> }).close = () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    return originalClose();
  };
}


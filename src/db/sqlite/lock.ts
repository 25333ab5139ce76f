/** A FIFO lock on the one SQLite connection: a transaction or an acquired connection holds it across awaits. */
export class ConnectionLock {
  private held = false;
  private readonly queue: { grant: () => void }[] = [];

  /** Callers waiting for the connection. */
  get waiting(): number {
    return this.queue.length;
  }

  get busy(): boolean {
    return this.held;
  }

  /**
   * Resolves with the release function once the connection is ours; rejects with `timeoutError()`
   * after `timeoutMs`, or with `abortError()` when the signal aborts first.
   */
  acquire(timeoutMs: number, timeoutError: () => unknown, signal?: AbortSignal, abortError?: () => unknown): Promise<() => void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const entry = {
        grant: (): void => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          resolve(this.releaser());
        },
      };
      const drop = (error: unknown): void => {
        const i = this.queue.indexOf(entry);
        if (i < 0) return;
        this.queue.splice(i, 1);
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      };
      const timer = setTimeout(() => drop(timeoutError()), timeoutMs);
      const onAbort = (): void => drop(abortError?.());
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(entry);
    });
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.queue.shift();
      if (next === undefined) this.held = false;
      else next.grant();
    };
  }
}

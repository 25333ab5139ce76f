/** Thrown when work does not settle within its budget. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/**
 * Settles with `work`, or rejects with a {@link TimeoutError} after `ms` (the timer never keeps the
 * process alive). `onTimeout` runs when the deadline wins, e.g. to abort the work.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new TimeoutError(`${what} timed out after ${ms} ms`));
    }, ms);
    timer.unref();
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

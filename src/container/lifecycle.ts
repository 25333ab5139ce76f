import { LokstraError } from '../errors/lokstra-error';

/** A service with optional lifecycle hooks. */
export interface Lifecycle {
  onStart?(): unknown;
  onStop?(): unknown;
  dispose?(): unknown;
}

/** A created service, in creation order. */
export interface CreatedService {
  name: string;
  instance: unknown;
}

function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Calls `onStart` in creation order, pushing each started service to `started` (so the caller can
 * stop them if a later one fails); a hang or failure fails boot, naming the service.
 */
export async function startAll(services: CreatedService[], timeoutMs: number, started: CreatedService[] = []): Promise<CreatedService[]> {
  for (const svc of services) {
    const hook = (svc.instance as Lifecycle | null)?.onStart;
    if (typeof hook === 'function') {
      try {
        await withTimeout(Promise.resolve().then(() => hook.call(svc.instance)), timeoutMs,
          () => new LokstraError('LKS_ERR_SERVICE_START_TIMEOUT', { name: svc.name, timeout: timeoutMs }));
      } catch (err) {
        if (LokstraError.is(err)) throw err;
        throw new LokstraError('LKS_ERR_SERVICE_START_FAILED', { name: svc.name, detail: (err as Error)?.message ?? String(err) }, { cause: err });
      }
    }
    started.push(svc);
  }
  return started;
}

/** Calls `onStop` (or `dispose`) in reverse creation order; failures are reported, never thrown. */
export async function stopAll(services: CreatedService[], timeoutMs: number, report: (err: LokstraError) => void): Promise<void> {
  for (const svc of [...services].reverse()) {
    const target = svc.instance as Lifecycle | null;
    const hook = target?.onStop ?? target?.dispose;
    if (typeof hook !== 'function') continue;
    try {
      await withTimeout(Promise.resolve().then(() => hook.call(target)), timeoutMs,
        () => new Error(`did not stop within ${timeoutMs} ms`));
    } catch (err) {
      report(new LokstraError('LKS_ERR_SERVICE_STOP_FAILED', { name: svc.name, detail: (err as Error)?.message ?? String(err) }, { cause: err }));
    }
  }
}

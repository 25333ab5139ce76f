import { Lokstra, type LokstraHandle } from '../../lokstra';
import type { LokstraConfig } from '../../config/types';

type BuildFn = (this: Lokstra, config?: string | LokstraConfig) => Promise<LokstraHandle>;

/** The first deployment an entry builds, captured without listening. */
export interface BuildCapture {
  /** True once the entry called `Lokstra.run`/`build` (or `new Lokstra().run`/`build`). */
  readonly started: boolean;
  /** The built handle, or the boot error. */
  readonly first: Promise<LokstraHandle>;
  restore(): void;
}

/**
 * Makes `run` build without listening or signal handling, and reports the first build. A failed build
 * never settles the entry's own promise, so the entry's `.catch` does not print the error a second time.
 */
export function captureBuilds(): BuildCapture {
  const proto = Lokstra.prototype as unknown as { run: BuildFn; build: BuildFn };
  const original = { run: proto.run, build: proto.build };
  let settle: { resolve(h: LokstraHandle): void; reject(e: unknown): void } | undefined;
  const first = new Promise<LokstraHandle>((resolve, reject) => (settle = { resolve, reject }));
  first.catch(() => undefined);
  const state = { started: false };
  proto.build = async function build(this: Lokstra, config) {
    const own = !state.started;
    state.started = true;
    try {
      const handle = await original.build.call(this, config);
      if (own) settle?.resolve(handle);
      return handle;
    } catch (err) {
      if (!own) throw err;
      settle?.reject(err);
      return new Promise<LokstraHandle>(() => undefined);
    }
  };
  proto.run = function run(this: Lokstra, config) {
    return proto.build.call(this, config);
  };
  return {
    get started() {
      return state.started;
    },
    first,
    restore: () => Object.assign(proto, original),
  };
}

/** For `lokstra dev`'s child: tells the parent (IPC) when the app listens or fails to boot. */
export function reportReadiness(send: (message: unknown) => void): void {
  const proto = Lokstra.prototype as unknown as { run: BuildFn };
  const run = proto.run;
  proto.run = async function reportingRun(this: Lokstra, config) {
    try {
      const handle = await run.call(this, config);
      send({ type: 'lokstra:ready', urls: handle.apps.map((a) => `${a.name} ${a.url ?? a.address}`) });
      return handle;
    } catch (err) {
      send({ type: 'lokstra:failed', message: `${(err as { code?: string }).code ?? 'error'}: ${(err as Error).message}` });
      throw err;
    }
  };
}

import { runInThisContext } from 'node:vm';
import { get } from '../../helpers/net';

/**
 * The checks every reliability case ends with (RELIABILITY.md, preamble): the process is alive, no
 * unhandled rejection / uncaught exception / server `error` event happened, and no prototype was
 * polluted — in Jest's sandbox realm (where Lokstra and its dependencies run) nor in Node's main
 * realm (where Node's own parsers build their objects).
 */

// Jest hands tests a sandboxed `process` whose listeners never fire for real process events, so
// the hooks go on the real one.
const realProcess = runInThisContext('process') as NodeJS.Process;
const mainObjectPrototype = runInThisContext('Object.prototype') as object;
const mainArrayPrototype = runInThisContext('Array.prototype') as object;

const PROTOTYPES: [string, object][] = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
  ['String.prototype', String.prototype],
  ['Object.prototype (main realm)', mainObjectPrototype],
  ['Array.prototype (main realm)', mainArrayPrototype],
];

const snapshot = (): Map<string, string[]> => new Map(PROTOTYPES.map(([name, proto]) => [name, Reflect.ownKeys(proto).map(String).sort()]));

/** Keys an attacker would use; checked on fresh objects of both realms. */
const PROBE_KEYS = ['polluted', 'isAdmin', 'role', 'x', 'admin', 'toString2'];

/** Fails when any prototype gained or lost a property since `before`, or a probe key reads through. */
export function expectNoPollution(before: Map<string, string[]>): void {
  expect(snapshot()).toEqual(before);
  const plain = {} as Record<string, unknown>;
  const main = runInThisContext('({})') as Record<string, unknown>;
  for (const key of PROBE_KEYS) {
    expect(plain[key]).toBeUndefined();
    expect(main[key]).toBeUndefined();
  }
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

/** What went wrong outside a request's own answer. */
export interface FaultLog {
  readonly faults: string[];
  /** The prototype snapshot taken when the hooks were installed. */
  readonly prototypes: Map<string, string[]>;
  /** Records `error` events of an emitter (a server, a socket) as faults. */
  watch(emitter: NodeJS.EventEmitter, name: string): void;
}

/**
 * Installs `unhandledRejection` / `uncaughtException` hooks on the real process for the file, and
 * after every test asserts that none fired and nothing was polluted. `liveness`, when given,
 * returns a URL that must answer 200 after every test (`/health/live`).
 */
export function installFaultHooks(liveness?: () => string | undefined): FaultLog {
  const faults: string[] = [];
  const describeFault = (kind: string, value: unknown): string => `${kind}: ${value instanceof Error ? value.stack ?? value.message : String(value)}`;
  const onRejection = (reason: unknown): void => { faults.push(describeFault('unhandledRejection', reason)); };
  const onException = (err: unknown): void => { faults.push(describeFault('uncaughtException', err)); };
  const log: FaultLog = {
    faults,
    prototypes: snapshot(),
    watch: (emitter, name) => { emitter.on('error', (err: unknown) => faults.push(describeFault(`${name} error event`, err))); },
  };
  beforeAll(() => {
    realProcess.on('unhandledRejection', onRejection);
    realProcess.on('uncaughtException', onException);
  });
  afterAll(() => {
    realProcess.off('unhandledRejection', onRejection);
    realProcess.off('uncaughtException', onException);
  });
  afterEach(async () => {
    // Late rejections surface on a later tick.
    await new Promise((r) => setImmediate(r));
    const url = liveness?.();
    if (url !== undefined) expect((await get(url)).status).toBe(200);
    const seen = faults.splice(0);
    expect(seen).toEqual([]);
    expectNoPollution(log.prototypes);
  });
  return log;
}

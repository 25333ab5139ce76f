import 'reflect-metadata';
import type { LightMyRequestResponse } from 'fastify';
import { Lokstra, type LokstraHandle, type Logger, type Class } from '../../../src/index';

export { memoryLogger, type LogLine } from '../../helpers/memory-logger';
import { memoryLogger } from '../../helpers/memory-logger';

/** Builds one app (`api` on `:0`) mounting every controller of the given modules. */
export async function buildApp(modules: Class[], logger: Logger = memoryLogger()): Promise<LokstraHandle> {
  return Lokstra.build({ apps: [{ name: 'api', address: ':0' }] }, { modules, logger });
}

/** Parses a response body as JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function body(res: LightMyRequestResponse): any {
  return JSON.parse(res.body);
}

/** The envelope keys in contract order (SPEC §5.1). */
export const ENVELOPE_ORDER = ['code', 'success', 'message', 'data', 'meta', 'errors'] as const;

/** Asserts that a JSON body's keys are envelope keys, in contract order. */
export function expectEnvelopeOrder(res: LightMyRequestResponse): void {
  const keys = Object.keys(JSON.parse(res.body) as object);
  expect(keys).toEqual(ENVELOPE_ORDER.filter((k) => keys.includes(k)));
}

/** Form-encodes pairs, keeping repeated keys (`[['a','1'],['a','2']]` → `a=1&a=2`). */
export function form(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' } as const;
export const JSON_CT = { 'content-type': 'application/json' } as const;

import type { LightMyRequestResponse } from 'fastify';
import type { Envelope } from '../http/response/response';

/** A response from {@link TestAppClient}: light-my-request's response plus typed envelope readers. */
export interface TestResponse extends LightMyRequestResponse {
  /** The body parsed as a Lokstra envelope (throws when the body is not JSON). */
  envelope<T = unknown>(): Envelope<T>;
  /** Asserts a 2xx envelope with `success: true` (and `status` when given); returns `data`. @example const user = (await t.request().get('/users/1')).expectOk<User>(); */
  expectOk<T = unknown>(status?: number): T;
  /** Asserts an error envelope with this `code` (and `status` when given); returns the envelope. @example res.expectError('NOT_FOUND', 404) */
  expectError(code: string, status?: number): Envelope<never>;
}

/** Thrown by {@link expectOk} and {@link expectError}; its message shows the request, status and body. */
export class EnvelopeAssertionError extends Error {
  override readonly name = 'EnvelopeAssertionError';
}

function describeResponse(res: LightMyRequestResponse): string {
  const body = res.body.length > 500 ? `${res.body.slice(0, 500)}…` : res.body;
  const req = res.raw.req as { method?: string; url?: string } | undefined;
  return `${req?.method ?? ''} ${req?.url ?? ''} → ${res.statusCode} ${body}`.trim();
}

function parseEnvelope<T>(res: LightMyRequestResponse): Envelope<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    throw new EnvelopeAssertionError(`expected a JSON envelope, got ${describeResponse(res)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || typeof (parsed as Envelope).code !== 'string' || typeof (parsed as Envelope).success !== 'boolean') {
    throw new EnvelopeAssertionError(`expected an envelope ({ code, success, … }), got ${describeResponse(res)}`);
  }
  return parsed as Envelope<T>;
}

/**
 * Asserts a successful envelope (2xx, `success: true`, and `status` when given) and returns its `data`.
 * @example const user = expectOk<User>(await t.request().get('/users/1'));
 */
export function expectOk<T = unknown>(res: LightMyRequestResponse, status?: number): T {
  const env = parseEnvelope<T>(res);
  const statusOk = status === undefined ? res.statusCode >= 200 && res.statusCode < 300 : res.statusCode === status;
  if (!statusOk || !env.success) {
    throw new EnvelopeAssertionError(`expected ${status ?? '2xx'} with success: true, got ${describeResponse(res)}`);
  }
  return env.data as T;
}

/**
 * Asserts an error envelope with `code` (`success: false`, and `status` when given) and returns it.
 * @example expectError(await t.request().get('/users/42'), 'NOT_FOUND', 404);
 */
export function expectError(res: LightMyRequestResponse, code: string, status?: number): Envelope<never> {
  const env = parseEnvelope<never>(res);
  if (env.success || env.code !== code || (status !== undefined && res.statusCode !== status)) {
    throw new EnvelopeAssertionError(`expected error ${code}${status === undefined ? '' : ` (${status})`}, got ${describeResponse(res)}`);
  }
  return env;
}

/** Adds the envelope readers to a light-my-request response (same object). */
export function toTestResponse(res: LightMyRequestResponse): TestResponse {
  const r = res as TestResponse;
  r.envelope = <T>() => parseEnvelope<T>(res);
  r.expectOk = <T>(status?: number) => expectOk<T>(res, status);
  r.expectError = (code: string, status?: number) => expectError(res, code, status);
  return r;
}

import { LokstraError } from '../../errors/lokstra-error';
import { genericMessage } from '../response/to-response';
import { Response } from '../response/response';
import type { ContextLogger } from '../context';
import type { ErrorContext, ErrorKind, FormattedError, NormalizedError, ResponseScope } from './types';

/** Where an error Response came from, as the listener knows it. */
export interface ErrorOrigin {
  kind: Exclude<ErrorKind, 'validation'>;
  cause: unknown;
}

const RETURNED: ErrorOrigin = Object.freeze({ kind: 'http', cause: undefined });

/** True when the scope changes nothing, so the listener skips finalisation (the common case). */
export function isPlainScope(scope: ResponseScope): boolean {
  return scope.envelope && scope.formatter === undefined && scope.validationStatus === undefined;
}

/** An error Response as the formatter sees it. */
export function normalize(res: Response, origin: ErrorOrigin): NormalizedError {
  const constraints = res.meta?.['constraints'] as NormalizedError['constraints'];
  let meta = res.meta;
  if (constraints !== undefined && meta !== undefined) {
    const { constraints: _c, ...rest } = meta;
    meta = Object.keys(rest).length > 0 ? rest : undefined;
  }
  return {
    kind: res.code === 'VALIDATION_ERROR' ? 'validation' : origin.kind,
    status: res.status,
    code: res.code,
    message: res.message ?? genericMessage(res.status),
    fields: res.errors,
    constraints,
    headers: { ...res.headers },
    meta,
    cause: origin.cause,
  };
}

/** A JSON response with no envelope: `data` as the body (none when undefined). */
export function plainJson(status: number, data: unknown, headers?: Record<string, string>): Response {
  const res = new Response<unknown>(status, 'JSON', data);
  res.kind = 'json';
  if (headers !== undefined) for (const [k, v] of Object.entries(headers)) res.withHeader(k, v);
  return res;
}

function isStatus(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 200 && value <= 599;
}

function fromFormatted(out: FormattedError, lokstraHeaders: Record<string, string>): Response {
  const headers = { ...lokstraHeaders, ...lowerKeys(out.headers) };
  const body = out.body;
  if ((typeof body === 'string' || Buffer.isBuffer(body)) && headers['content-type'] !== undefined) {
    const res = new Response<never>(out.status, 'RAW');
    res.kind = 'raw';
    res.contentType = headers['content-type'];
    res.payload = body;
    for (const [k, v] of Object.entries(headers)) res.withHeader(k, v);
    return res;
  }
  return plainJson(out.status, body, headers);
}

function lowerKeys(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = String(v);
  return out;
}

/** What finalisation needs besides the response and its scope. */
export interface FinalizeInput {
  scope: ResponseScope;
  origin?: ErrorOrigin | undefined;
  context: () => ErrorContext;
  logger: ContextLogger;
}

/**
 * Applies a route's response scope to the Response about to be sent: `validation_status`, the
 * error formatter for every error envelope, and `envelope: false` for successful ones. A formatter
 * that throws or answers nonsense is logged and the default envelope is sent.
 */
export function finalizeResponse(res: Response, input: FinalizeInput): Response {
  if (res.kind !== 'envelope') return res;
  const { scope } = input;
  if (res.status < 400) return scope.envelope ? res : plainJson(res.status, res.data, res.headers);
  if (scope.validationStatus !== undefined && res.code === 'VALIDATION_ERROR') res.withStatus(scope.validationStatus);
  if (scope.formatter === undefined) return res;
  const normalized = normalize(res, input.origin ?? RETURNED);
  try {
    const out = scope.formatter(normalized, input.context());
    if (typeof out !== 'object' || out === null || !isStatus(out.status)) throw new TypeError('an error formatter must return { status, headers?, body }');
    return fromFormatted(out, normalized.headers);
  } catch (err) {
    const failure = new LokstraError('LKS_ERR_RESPONSE_FORMAT_FAILED', { formatter: scope.source, detail: err instanceof Error ? err.message : String(err) });
    input.logger.error(failure.message, { code: failure.code, requestId: input.context().requestId });
    return normalized.kind === 'internal' ? res : Response.error(500, genericMessage(500), 'INTERNAL_ERROR');
  }
}

import { ERROR_CODES, formatMessage, type ErrorCode } from './codes';
import { redactKnownSecrets } from '../internal/redact-text';

const BRAND = Symbol.for('lokstra.error');

/**
 * The error Lokstra throws at boot and in its own APIs. Carries a stable `code` from the registry.
 * `LokstraError.is(err)` works across two installed copies of the package.
 */
export class LokstraError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly params: Record<string, unknown>;
  readonly [BRAND] = true;

  constructor(code: ErrorCode, params: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(redactKnownSecrets(formatMessage(ERROR_CODES[code].message, params)), options);
    this.name = 'LokstraError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.params = params;
  }

  /** True for a LokstraError from any copy of the package. */
  static is(value: unknown): value is LokstraError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

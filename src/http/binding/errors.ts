import { HttpError, type FieldErrors } from '../../errors/http-error';
import type { ConversionFailure } from './convert';

/** Collects conversion and validation failures per field path, for one 400 `VALIDATION_ERROR`. */
export class FieldErrorCollector {
  errors: FieldErrors | undefined;
  constraints: FieldErrors | undefined;

  private converted: Set<string> | undefined;

  add(path: string, message: string, constraint: string): void {
    if (this.converted?.has(path)) return;
    ((this.errors ??= {})[path] ??= []).push(message);
    ((this.constraints ??= {})[path] ??= []).push(constraint);
  }

  /** A `fail` callback for the converters, reporting under `path`. */
  at(path: string): (f: ConversionFailure) => void {
    return (f) => this.add(path, f.message, f.constraint);
  }

  /** After conversion: fields that failed to convert get no further (validation) messages. */
  sealConversionFailures(): void {
    if (this.errors !== undefined) this.converted = new Set(Object.keys(this.errors));
  }

  get empty(): boolean {
    return this.errors === undefined;
  }

  toError(): HttpError {
    return HttpError.validation('Validation failed', this.errors ?? {}, this.constraints ?? {});
  }

  throwIfAny(): void {
    if (this.errors !== undefined) throw this.toError();
  }
}

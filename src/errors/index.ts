export { ERROR_CODES, formatMessage, type ErrorCode } from './codes';
export { LokstraError } from './lokstra-error';
export { HttpError, defaultCodeFor, type FieldErrors, type HttpErrorOptions } from './http-error';

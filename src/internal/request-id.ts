/** A client's request id is kept only when short and of a safe charset: it ends up in every log line. */
export function isSafeRequestId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(value);
}

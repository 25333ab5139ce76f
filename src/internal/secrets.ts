// One rule for what counts as a secret, shared by config errors, validation errors and logs (SPEC §6.3).
// Matches anywhere in the name (`passwordConfirmation`, `x-api-key`, `clientSecret`); bare `pass` only as a whole word.
const SECRET_KEY = /(passw(or)?d|passphrase|secret|token|api[_-]?key|private[_-]?key|credential|authorization|cookie|^pass$|^pwd$)/i;

/** True when a key name looks like it holds a secret (`password`, `api_key`, `clientSecret`…). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.replace(/[\s.]/g, ''));
}

/** Replaces the `user:password@` part of a URL-like string. */
export function redactDsn(value: string): string {
  return value.replace(/(\/\/[^:/@\s]*:)[^@/\s]*@/g, '$1***@');
}

import { LokstraError } from '../../src/index';

/** Awaits a boot that must fail and returns its LokstraError (any other error is rethrown). */
export async function bootError(promise: Promise<unknown>): Promise<LokstraError> {
  try {
    await promise;
  } catch (err) {
    if (LokstraError.is(err)) return err;
    throw err;
  }
  throw new Error('expected boot to fail');
}

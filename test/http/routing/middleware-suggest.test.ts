import 'reflect-metadata';
import { defineModule, Lokstra, LokstraError, type LokstraConfig } from '../../../src/index';
import { memoryLogger } from '../../helpers/memory-logger';

// Issue 11: an unknown middleware name fails boot with a "did you mean" when a registered name is close.

const handlers = defineModule({ name: 'mw-suggest', handlers: { x: () => 'x' } });

async function bootError(config: LokstraConfig): Promise<LokstraError> {
  const result = await Lokstra.build(config, { modules: [handlers], logger: memoryLogger() }).then(async (h) => { await h.close(); return undefined; }, (e: unknown) => e);
  if (!LokstraError.is(result)) throw new Error(`expected a LokstraError, got ${String(result)}`);
  return result;
}

describe('unknown middleware names', () => {
  it.each([
    ['a misspelt app middleware', { apps: [{ name: 'api', address: ':0', middleware: ['request_idd'], routes: [{ method: 'GET', path: '/x', handler: 'x' }] }] }, 'request_idd', 'request_id'],
    ['a dash for an underscore', { apps: [{ name: 'api', address: ':0', middleware: ['body-limit'] }] }, 'body-limit', 'body_limit'],
    ['a misspelt route middleware with config', { apps: [{ name: 'api', address: ':0', routes: [{ method: 'GET', path: '/x', handler: 'x', middleware: [{ name: 'corss', config: {} }] }] }] }, 'corss', 'cors'],
  ] as [string, LokstraConfig, string, string][])('suggests the registered name for %s', async (_what, config, name, hint) => {
    const err = await bootError(config);
    expect(err.code).toBe('LKS_ERR_MIDDLEWARE_NOT_FOUND');
    expect(err.message).toContain(`middleware '${name}' is not registered`);
    expect(err.message).toContain(`(did you mean '${hint}'?)`);
    expect(err.message).toMatch(/registered middleware: .*request_id/);
  });

  it('gives no suggestion when nothing is close', async () => {
    const err = await bootError({ apps: [{ name: 'api', address: ':0', middleware: ['zzzzzzzz'] }] });
    expect(err.code).toBe('LKS_ERR_MIDDLEWARE_NOT_FOUND');
    expect(err.message).not.toContain('did you mean');
  });
});

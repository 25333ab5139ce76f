import { validateConfigObject } from '../../src/config/validate-object';
import type { LokstraConfig } from '../../src/config/types';

// A list or map used in two places of a config object (a shared constant) is validated at each:
// only a real cycle is cut (a shared `algorithms: ['HS256']` used to be seen as [] the second time).
describe('config objects with shared values', () => {
  it('validates a list shared by two middleware configs at both places', () => {
    const algorithms = ['HS256'];
    const jwt = (extra: Record<string, unknown>) => ({ name: 'jwt', config: { secret: 'x'.repeat(32), algorithms, ...extra } });
    const config = {
      apps: [{ name: 'api', address: ':0', routes: [
        { method: 'GET', path: '/a', handler: 'h', middleware: [jwt({})] },
        { method: 'GET', path: '/b', handler: 'h', middleware: [jwt({ optional: true })] },
      ] }],
    } as unknown as LokstraConfig;
    expect(() => validateConfigObject(config)).not.toThrow();
  });

  it('still reports a shared value that is invalid, and stops at a real cycle', () => {
    const algorithms: string[] = [];
    const config = {
      apps: [{ name: 'api', address: ':0', routes: [
        { method: 'GET', path: '/a', handler: 'h', middleware: [{ name: 'jwt', config: { secret: 'x'.repeat(32), algorithms } }] },
      ] }],
    } as unknown as LokstraConfig;
    expect(() => validateConfigObject(config)).toThrow(/algorithms/);
    const cyclic: Record<string, unknown> = { name: 'cors', config: {} };
    (cyclic.config as Record<string, unknown>).self = cyclic;
    expect(() => validateConfigObject({ apps: [{ name: 'api', address: ':0', middleware: [cyclic] }] } as unknown as LokstraConfig)).toThrow();
  });
});

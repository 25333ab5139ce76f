import 'reflect-metadata';
import type { LokstraHandle } from '../../src/index';
import { helmetPlan } from '../../src/middleware/security-headers';
import { build, captureLogger } from './harness';

// Issue 13 item 4: helmet runs once per config at boot; a request only sets the recorded headers.
// Every helmet() call and every run of a helmet middleware is counted (the real helmet does the work).
const calls = { build: 0, run: 0 };
jest.mock('helmet', () => {
  // helmet's CommonJS export is the function itself (with `.default` and the single-header helpers).
  const actual = jest.requireActual<((o?: unknown) => (...a: unknown[]) => unknown) & Record<string, unknown>>('helmet');
  const counted = (options?: unknown): ((...a: unknown[]) => unknown) => {
    calls.build += 1;
    const mw = actual(options);
    return (...args: unknown[]) => { calls.run += 1; return mw(...args); };
  };
  return Object.assign(counted, actual, { default: counted });
});

describe('security_headers computed at boot', () => {
  let h: LokstraHandle;
  beforeAll(async () => {
    h = await build({
      apps: [{
        name: 'api', address: ':0',
        routes: [
          { method: 'GET', path: '/a', handler: 'ok', middleware: ['security_headers'] },
          { method: 'GET', path: '/b', handler: 'ok', middleware: [{ name: 'security_headers', config: { x_frame_options: { action: 'deny' } } }] },
        ],
      }],
    }, captureLogger().logger);
  });
  afterAll(() => h.close());

  it('runs helmet at boot only, however many requests are served', async () => {
    const before = { ...calls };
    for (let i = 0; i < 5; i++) {
      const [a, b] = await Promise.all([h.apps[0]!.inject('/a'), h.apps[0]!.inject('/b')]);
      expect(a.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(b.headers['x-frame-options']).toBe('DENY');
      expect(a.headers['content-security-policy']).toContain("default-src 'self'");
    }
    expect(calls).toEqual(before);
  });

  it('records what helmet sets and removes', () => {
    const plan = helmetPlan({ referrerPolicy: false });
    expect(plan.dynamic).toBeUndefined();
    expect(plan.set).toContainEqual(['X-Content-Type-Options', 'nosniff']);
    expect(plan.set.map(([name]) => name)).not.toContain('Referrer-Policy');
    expect(plan.remove).toEqual(['X-Powered-By']);
  });

  it('keeps running helmet per request when a CSP directive is a function', () => {
    const plan = helmetPlan({ contentSecurityPolicy: { directives: { 'script-src': ["'self'", () => "'nonce-x'"] } } });
    expect(plan.dynamic).toBeInstanceOf(Function);
    const headers: Record<string, string> = {};
    plan.dynamic!({}, { setHeader: (n: string, v: string) => { headers[n] = v; }, removeHeader: () => undefined }, () => undefined);
    expect(headers['Content-Security-Policy']).toContain("script-src 'self' 'nonce-x'");
  });
});

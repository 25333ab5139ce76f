// Correctness checks run against every server before it is measured: a benchmark of a 404 is worthless.
import { deepStrictEqual } from 'node:assert';
import { request } from './proc';
import { VALID_USER } from './shared/routes';

interface Check {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  status: number;
  /** Expected payload (the `data` of Lokstra's envelope); `undefined` = only the status is checked. */
  data?: (value: unknown) => unknown;
  envelopeCode?: string;
}

const sameUser = (v: unknown): unknown => {
  const u = v as Record<string, unknown>;
  if (typeof u.id !== 'number') throw new Error(`id is not a number: ${JSON.stringify(v)}`);
  return { ...VALID_USER, id: u.id };
};

const CHECKS: Check[] = [
  { name: 'hello', method: 'GET', path: '/hello', status: 200, data: () => ({ message: 'hello' }), envelopeCode: 'OK' },
  { name: 'user verbose=true', method: 'GET', path: '/users/42?verbose=true', status: 200, data: () => ({ id: 42, verbose: true }), envelopeCode: 'OK' },
  { name: 'user verbose=false', method: 'GET', path: '/users/7?verbose=false', status: 200, data: () => ({ id: 7, verbose: false }), envelopeCode: 'OK' },
  { name: 'user without verbose', method: 'GET', path: '/users/7', status: 200, data: () => ({ id: 7, verbose: false }), envelopeCode: 'OK' },
  { name: 'user id not a number', method: 'GET', path: '/users/abc', status: 400 },
  { name: 'user verbose not a boolean', method: 'GET', path: '/users/1?verbose=maybe', status: 400 },
  { name: 'create valid', method: 'POST', path: '/users', body: VALID_USER, status: 201, data: sameUser, envelopeCode: 'CREATED' },
  { name: 'create strips unknown fields', method: 'POST', path: '/users', body: { ...VALID_USER, admin: true }, status: 201, data: sameUser, envelopeCode: 'CREATED' },
  { name: 'create invalid (all fields)', method: 'POST', path: '/users', body: { name: 'G', email: 'nope', age: 200 }, status: 400 },
  { name: 'create age not an integer', method: 'POST', path: '/users', body: { ...VALID_USER, age: 3.5 }, status: 400 },
  { name: 'create age missing', method: 'POST', path: '/users', body: { name: 'Ada', email: 'ada@example.com' }, status: 400 },
  { name: 'create email invalid', method: 'POST', path: '/users', body: { ...VALID_USER, email: 'ada' }, status: 400 },
];

/** Runs every check; throws with all failures listed. `envelope`: Lokstra's `{code, success, data}` is expected. */
export async function verifyServer(label: string, port: number, envelope: boolean, skip: readonly string[] = []): Promise<void> {
  const failures: string[] = [];
  for (const c of CHECKS) {
    if (skip.includes(c.name)) continue;
    const body = c.body === undefined ? undefined : JSON.stringify(c.body);
    try {
      const res = await request(port, c.method, c.path, body);
      if (res.status !== c.status) throw new Error(`status ${res.status}, expected ${c.status}: ${res.body.slice(0, 300)}`);
      if (!String(res.headers['content-type'] ?? '').startsWith('application/json')) throw new Error(`content-type ${res.headers['content-type']}`);
      const parsed = JSON.parse(res.body) as Record<string, unknown>;
      if (c.data !== undefined) {
        let data: unknown = parsed;
        if (envelope) {
          deepStrictEqual({ code: parsed.code, success: parsed.success }, { code: c.envelopeCode, success: true });
          data = parsed.data;
        }
        deepStrictEqual(data, c.data(data));
      } else if (envelope) {
        if (parsed.success !== false) throw new Error(`error envelope expected: ${res.body}`);
      }
    } catch (err) {
      failures.push(`  ${c.name} (${c.method} ${c.path}): ${(err as Error).message.split('\n').slice(0, 6).join(' ')}`);
    }
  }
  if (failures.length > 0) throw new Error(`${label} failed verification:\n${failures.join('\n')}`);
}

export const CHECK_COUNT = CHECKS.length;

interface HeaderCheck {
  name: string;
  method: 'GET' | 'OPTIONS';
  path: string;
  headers: Record<string, string>;
  status: number;
  /** Expected response headers; `undefined` = must be absent, a RegExp = must match. */
  expect: Record<string, string | RegExp | undefined>;
}

const ALLOWED = 'https://a.admin.example.com';
/** What the middleware variants ("Lokstra + built-ins", "Fastify + plugins") must both do. */
const MIDDLEWARE_CHECKS: HeaderCheck[] = [
  { name: 'request id generated', method: 'GET', path: '/hello', headers: {}, status: 200, expect: { 'x-request-id': /^[A-Za-z0-9._:-]+$/ } },
  { name: 'client request id echoed', method: 'GET', path: '/hello', headers: { 'x-request-id': 'bench-42' }, status: 200, expect: { 'x-request-id': 'bench-42' } },
  {
    name: 'cors: allowed origin (pattern)', method: 'GET', path: '/users/1', headers: { origin: ALLOWED }, status: 200,
    expect: { 'access-control-allow-origin': ALLOWED, 'access-control-allow-credentials': 'true', 'access-control-expose-headers': 'x-request-id', vary: /origin/i },
  },
  { name: 'cors: other origin gets no CORS headers', method: 'GET', path: '/hello', headers: { origin: 'https://admin.example.com.evil.net' }, status: 200, expect: { 'access-control-allow-origin': undefined } },
  {
    name: 'cors: preflight', method: 'OPTIONS', path: '/users', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' }, status: 204,
    expect: { 'access-control-allow-origin': 'http://localhost:5173', 'access-control-allow-methods': /POST/, 'access-control-max-age': '86400' },
  },
  {
    name: 'helmet defaults', method: 'GET', path: '/hello', headers: {}, status: 200,
    expect: { 'x-content-type-options': 'nosniff', 'x-frame-options': 'SAMEORIGIN', 'strict-transport-security': 'max-age=31536000; includeSubDomains', 'content-security-policy': /default-src 'self'/ },
  },
  { name: 'compression: small body sent as is', method: 'GET', path: '/hello', headers: { 'accept-encoding': 'gzip' }, status: 200, expect: { 'content-encoding': undefined } },
];

/** The header checks of the middleware variants: request ids, CORS, helmet, compression. Throws with all failures listed. */
export async function verifyMiddleware(label: string, port: number): Promise<void> {
  const failures: string[] = [];
  for (const c of MIDDLEWARE_CHECKS) {
    try {
      const res = await request(port, c.method, c.path, undefined, 5000, c.headers);
      if (res.status !== c.status) throw new Error(`status ${res.status}, expected ${c.status}`);
      for (const [name, want] of Object.entries(c.expect)) {
        const got = res.headers[name];
        const text = Array.isArray(got) ? got.join(', ') : got;
        const ok = want === undefined ? text === undefined : want instanceof RegExp ? text !== undefined && want.test(text) : text === want;
        if (!ok) throw new Error(`${name}: ${String(text)}, expected ${want === undefined ? 'none' : String(want)}`);
      }
    } catch (err) {
      failures.push(`  ${c.name} (${c.method} ${c.path}): ${(err as Error).message}`);
    }
  }
  if (failures.length > 0) throw new Error(`${label} failed middleware verification:\n${failures.join('\n')}`);
}

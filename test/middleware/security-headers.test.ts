import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LokstraHandle } from '../../src/index';
import { BUILTIN_CONFIG_SCHEMAS } from '../../src/middleware/schemas';
import { expectBootError } from '../http/routing/harness';
import { build, captureLogger } from './harness';

describe('security_headers', () => {
  let h: LokstraHandle;
  beforeAll(async () => {
    h = await build({
      apps: [{
        name: 'api', address: ':0',
        routes: [
          { method: 'GET', path: '/default', handler: 'ok', middleware: ['security_headers'] },
          { method: 'GET', path: '/none', handler: 'ok' },
          {
            method: 'GET', path: '/custom', handler: 'ok',
            middleware: [{
              name: 'security_headers',
              config: {
                content_security_policy: { directives: { 'default-src': ["'none'"], 'img-src': ["'self'", 'data:'] } },
                strict_transport_security: { max_age: 600, include_sub_domains: false },
                x_frame_options: { action: 'deny' },
                referrer_policy: false,
                cross_origin_embedder_policy: true,
              },
            }],
          },
        ],
      }],
    }, captureLogger().logger);
  });
  afterAll(() => h.close());

  it('sets helmet’s default headers', async () => {
    const res = await h.apps[0]!.inject('/default');
    expect(res.statusCode).toBe(200);
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'x-dns-prefetch-control': 'off',
    });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('applies snake_case helmet options, false turning a header off', async () => {
    const res = await h.apps[0]!.inject('/custom');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['content-security-policy']).toContain("img-src 'self' data:");
    expect(res.headers['strict-transport-security']).toBe('max-age=600');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBeUndefined();
    expect(res.headers['cross-origin-embedder-policy']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('leaves routes without the middleware alone', async () => {
    const res = await h.apps[0]!.inject('/none');
    expect(res.headers['x-content-type-options']).toBeUndefined();
    expect(res.headers['content-security-policy']).toBeUndefined();
  });

  it('fails boot on a helmet option helmet rejects', async () => {
    await expectBootError(build({
      apps: [{ name: 'api', address: ':0', middleware: [{ name: 'security_headers', config: { referrer_policy: { policy: 'sometimes' } } }], routes: [{ method: 'GET', path: '/x', handler: 'ok' }] }],
    }, captureLogger().logger), 'LKS_ERR_MIDDLEWARE_INVALID');
  });

  it('fails boot on an unknown option (config objects are checked by the config schema, as YAML is)', async () => {
    await expectBootError(build({
      apps: [{ name: 'api', address: ':0', middleware: [{ name: 'security_headers', config: { frameguard: false } }], routes: [{ method: 'GET', path: '/x', handler: 'ok' }] }],
    }, captureLogger().logger), 'LKS_ERR_CONFIG_INVALID');
  });
});

describe('middleware config schemas', () => {
  // lokstra.schema.json (editors and YAML validation) and the schemas checked at boot must agree.
  it('are the same in lokstra.schema.json and in the built-in registrations', () => {
    const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'src', 'config', 'lokstra.schema.json'), 'utf8')) as { $defs: Record<string, unknown> };
    const defs = schema.$defs;
    const inline = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(inline);
      if (typeof node !== 'object' || node === null) return node;
      const obj = node as Record<string, unknown>;
      if (Array.isArray(obj.allOf) && obj.allOf.length === 1 && typeof (obj.allOf[0] as { $ref?: string }).$ref === 'string') {
        const ref = (obj.allOf[0] as { $ref: string }).$ref.replace('#/$defs/', '');
        const { allOf: _allOf, ...rest } = obj;
        return { ...(defs[ref] as object), ...inline(rest) as object };
      }
      return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, inline(v)]));
    };
    const fromFile: Record<string, unknown> = {};
    for (const branch of (defs.middlewareObject as { allOf: { if: { properties: { name: { const: string } } }; then: { properties: { config: unknown } } }[] }).allOf) {
      fromFile[branch.if.properties.name.const] = inline(branch.then.properties.config);
    }
    expect(fromFile).toEqual(BUILTIN_CONFIG_SCHEMAS);
  });
});

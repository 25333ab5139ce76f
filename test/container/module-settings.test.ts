import 'reflect-metadata';
import { IsInt, IsString, Max, Min } from 'class-validator';
import { defineModule, Lokstra } from '../../src/index';
import { bootError } from '../helpers/boot-error';

class BillingSettings {
  @IsString() currency!: string;
  // Decorators apply bottom-up: class-validator lists Max, Min, then IsInt.
  @IsInt() @Min(1) @Max(10) retries!: number;
}

describe('module settings errors', () => {
  it('name the module and report the type constraint before the range', async () => {
    const billing = defineModule({ name: 'billing', settings: BillingSettings });
    const err = await bootError(Lokstra.build({ modules: [{ name: 'billing', settings: { currency: 'EUR', retries: 'abc' } }] }, { modules: [billing] }));
    expect(err.code).toBe('LKS_ERR_CONFIG_INVALID');
    expect(err.message).toContain("module 'billing'");
    expect(err.message).toContain('modules[0].settings.retries');
    const detail = String(err.params.detail);
    expect(detail.indexOf('integer')).toBeGreaterThanOrEqual(0);
    expect(detail.indexOf('integer')).toBeLessThan(detail.indexOf('less than 1'));
  });

  it('name the module, never modules[-1], when the module has no YAML entry', async () => {
    const billing = defineModule({ name: 'billing', settings: BillingSettings });
    const err = await bootError(Lokstra.build({}, { modules: [billing] }));
    expect(err.code).toBe('LKS_ERR_CONFIG_INVALID');
    expect(err.message).not.toContain('[-1]');
    expect(err.message).toContain("module 'billing'");
    expect(err.message).toContain('currency');
  });

  it('name the module for a JSON Schema, type before range', async () => {
    const schema = { type: 'object', properties: { port: { type: 'integer', minimum: 1 } }, required: ['port'] };
    const svc = defineModule({ name: 'svc', settings: schema });
    const err = await bootError(Lokstra.build({ modules: [{ name: 'svc', settings: { port: 'x' } }] }, { modules: [svc] }));
    expect(err.message).toContain("module 'svc'");
    expect(err.message).toContain('modules[0].settings.port');
    expect(String(err.params.detail)).toMatch(/integer/);
    const code = await bootError(Lokstra.build({}, { modules: [svc] }));
    expect(code.message).not.toContain('[-1]');
    expect(code.message).toContain("module 'svc'");
  });
});

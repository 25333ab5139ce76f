import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, LokstraError, type AppConfig } from '../../src/index';

// Issue 11: `LOKSTRA_*` overrides accept lists and maps written as a JSON or YAML flow value.

const YAML = `
server:
  global_setting:
    trust_proxy: false
services:
  - { name: db, type: lokstra.dbpool_pg, config: { dsn: "postgres://x@127.0.0.1/test" } }
apps:
  - name: api
    address: ":0"
    middleware: [recovery]
  - name: admin
    address: ":0"
`;

function file(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lks-env-'));
  writeFileSync(join(dir, 'lokstra.config.yaml'), YAML);
  return join(dir, 'lokstra.config.yaml');
}

async function load(env: NodeJS.ProcessEnv) {
  return (await loadConfig(file(), { env })).config;
}

const app = (apps: AppConfig[] | undefined, name: string): AppConfig | undefined => apps?.find((a) => a.name === name);

describe('LOKSTRA_* overrides with list and map values', () => {
  it('replaces a middleware list from a YAML flow sequence', async () => {
    const config = await load({ LOKSTRA_APPS__api__MIDDLEWARE: '[cors, request_id]' });
    expect(app(config.apps, 'api')?.middleware).toEqual(['cors', 'request_id']);
  });

  it('takes a JSON array with a middleware entry that has config', async () => {
    const config = await load({ LOKSTRA_APPS__admin__MIDDLEWARE: '["request_id", {"name": "cors", "config": {"allowed_origins": ["https://a.example"]}}]' });
    expect(app(config.apps, 'admin')?.middleware).toEqual(['request_id', { name: 'cors', config: { allowed_origins: ['https://a.example'] } }]);
  });

  it('takes a list of CIDRs for trust_proxy, and a map value', async () => {
    const config = await load({
      LOKSTRA_SERVER__GLOBAL_SETTING__TRUST_PROXY: '[10.0.0.0/8, 192.168.0.0/16]',
      LOKSTRA_SERVICES__db__CONFIG: '{ dsn: "postgres://y@127.0.0.1/test", max_connections: 3 }',
    });
    expect(config.server?.global_setting?.trust_proxy).toEqual(['10.0.0.0/8', '192.168.0.0/16']);
    expect(config.services?.[0]?.config).toEqual({ dsn: 'postgres://y@127.0.0.1/test', max_connections: 3 });
  });

  it('selects a list entry by index when no entry has that name', async () => {
    const config = await load({ LOKSTRA_APPS__1__MIDDLEWARE: '[request_id]' });
    expect(app(config.apps, 'admin')?.middleware).toEqual(['request_id']);
  });

  it('validates the result with the schema, naming the variable', async () => {
    const err = await load({ LOKSTRA_APPS__api__MIDDLEWARE: '[{ nmae: cors }]' }).then(() => undefined, (e: unknown) => e);
    expect(LokstraError.is(err) && err.code).toBe('LKS_ERR_CONFIG_INVALID');
    expect((err as Error).message).toMatch(/env LOKSTRA_APPS__api__MIDDLEWARE|apps\[0\]\.middleware\[0\]/);
  });

  it('rejects a malformed flow value, naming the variable', async () => {
    const err = await load({ LOKSTRA_APPS__api__MIDDLEWARE: '[cors, request_id' }).then(() => undefined, (e: unknown) => e);
    expect(LokstraError.is(err) && err.code).toBe('LKS_ERR_CONFIG_INVALID');
    expect((err as Error).message).toMatch(/LOKSTRA_APPS__api__MIDDLEWARE/);
  });

  it('rejects a bracketed value that is not valid YAML or JSON, naming the variable', async () => {
    const err = await load({ LOKSTRA_APPS__api__MIDDLEWARE: '[cors, {name: cors]' }).then(() => undefined, (e: unknown) => e);
    expect(LokstraError.is(err) && err.code).toBe('LKS_ERR_CONFIG_INVALID');
    expect((err as Error).message).toMatch(/env LOKSTRA_APPS__api__MIDDLEWARE: expected a list or map/);
  });

  it('keeps an IPv6 address a string', async () => {
    const config = await load({ LOKSTRA_APPS__api__ADDRESS: '[::1]:9999' });
    expect(app(config.apps, 'api')?.address).toBe('[::1]:9999');
  });

  it('keeps scalars as before and keeps a secret-looking value a string', async () => {
    const config = await load({ LOKSTRA_APPS__api__ADDRESS: '127.0.0.1:9999', LOKSTRA_SERVICES__db__CONFIG__PASSWORD: '[not-a-list]' });
    expect(app(config.apps, 'api')?.address).toBe('127.0.0.1:9999');
    expect((config.services?.[0]?.config as Record<string, unknown>).password).toBe('[not-a-list]');
  });
});

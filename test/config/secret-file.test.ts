import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main';
import { loadConfig } from '../../src/config/load';
import { redactSecretsInText } from '../../src/internal/redact-text';
import { LokstraError } from '../../src/index';

describe('${file:…} secrets', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lokstra-secret-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const yaml = (body: string): string => {
    const file = join(dir, 'lokstra.config.yaml');
    writeFileSync(file, body);
    return file;
  };

  it('reads the file, trimmed, into the config; config print never shows the value', async () => {
    const secret = join(dir, 'db_password');
    writeFileSync(secret, 'S3cr3t-from-file-4711\n');
    chmodSync(secret, 0o600);
    const file = yaml(`services:\n  - name: db\n    type: lokstra.dbpool_pg\n    config:\n      dsn: "postgres://app:\${file:${secret}}@db:5432/app"\n      application_name: "\${file:${secret}}"\n`);
    const { config } = await loadConfig(file);
    expect(config.services?.[0]?.config).toEqual({ dsn: 'postgres://app:S3cr3t-from-file-4711@db:5432/app', application_name: 'S3cr3t-from-file-4711' });
    const printed = await runCli(['config', 'print', file], {}, dir);
    expect(printed.code).toBe(0);
    expect(printed.stdout.join('\n')).not.toContain('S3cr3t-from-file-4711');
    expect(redactSecretsInText('failed with S3cr3t-from-file-4711 inside')).toBe('failed with [REDACTED] inside');
  });

  it('fails boot with LKS_ERR_CONFIG_SECRET_FILE naming the file and the YAML position when it is missing; a default is used instead', async () => {
    const missing = join(dir, 'nope');
    const err = await loadConfig(yaml(`server:\n  global_setting:\n    log_level: "\${file:${missing}}"\n`)).then(() => undefined, (e: unknown) => e);
    expect(LokstraError.is(err) && err.code).toBe('LKS_ERR_CONFIG_SECRET_FILE');
    expect((err as Error).message).toContain(missing);
    expect((err as Error).message).toMatch(/lokstra\.config\.yaml:3/);
    const { config } = await loadConfig(yaml(`server:\n  global_setting:\n    log_level: "\${file:${missing}:warn}"\n`));
    expect(config.server?.global_setting?.log_level).toBe('warn');
  });

  it('warns once per read when the secret file is readable by every user', async () => {
    const secret = join(dir, 'open');
    writeFileSync(secret, 'open-secret-value');
    chmodSync(secret, 0o644);
    const services = `services:\n  - name: kv\n    type: lokstra.kvstore_redis\n    config:\n      redis: r\n      prefix: "\${file:${secret}}"\n`;
    const spy = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      await loadConfig(yaml(services));
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0]?.[1]).toEqual({ code: 'LOKSTRA_SECRET_FILE_MODE' });
      expect(String(spy.mock.calls[0]?.[0])).toContain('mode 644');
      expect(String(spy.mock.calls[0]?.[0])).not.toContain('open-secret-value');
    } finally {
      spy.mockRestore();
    }
  });
});

it('never shows a secret file value in a validation error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lokstra-secret-'));
  try {
    const secret = join(dir, 'level');
    writeFileSync(secret, 'not-a-level-but-secret');
    chmodSync(secret, 0o600);
    const file = join(dir, 'lokstra.config.yaml');
    writeFileSync(file, `server:\n  global_setting:\n    log_level: "\${file:${secret}}"\n`);
    const err = await loadConfig(file).then(() => undefined, (e: unknown) => e);
    expect(LokstraError.is(err) && err.code).toBe('LKS_ERR_CONFIG_INVALID');
    expect((err as Error).message).not.toContain('not-a-level-but-secret');
    expect((err as Error).message).toContain('[REDACTED]');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main';

const ROOT = join(__dirname, '..', '..');
const F = join(__dirname, 'fixtures');

describe('lokstra check', () => {
  it('accepts the sample config and summarises it', async () => {
    const r = await runCli(['check', 'lokstra.config.yaml'], {}, ROOT);
    expect(r.code).toBe(0);
    expect(r.stdout[0]).toMatch(/^ok: .*lokstra\.config\.yaml — 2 app\(s\)/);
  });

  it.each([
    ['bad/typo.yaml', 'LKS_ERR_CONFIG_INVALID'],
    ['bad/tab.yaml', 'LKS_ERR_CONFIG_PARSE'],
    ['bad/missing-env.yaml', 'LKS_ERR_CONFIG_ENV_MISSING'],
    ['bad/js-function.yaml', 'LKS_ERR_CONFIG_PARSE'],
    ['bad/alias-bomb.yaml', 'LKS_ERR_CONFIG_PARSE'],
    ['bad/include-loop.yaml', 'LKS_ERR_CONFIG_INVALID'],
  ])('rejects %s with one line and exit 1', async (file, code) => {
    const r = await runCli(['check', file], {}, F);
    expect(r.code).toBe(1);
    expect(r.stderr).toHaveLength(1);
    expect(r.stderr[0]).toMatch(new RegExp(`^${code}: `));
  });

  it('adds the stack trace only with LOKSTRA_DEBUG', async () => {
    const r = await runCli(['check', 'bad/typo.yaml'], { LOKSTRA_DEBUG: '1' }, F);
    expect(r.stderr.length).toBe(2);
  });

  it('exits non-zero as a process, printing no stack trace', () => {
    const res = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src/cli/main.ts'), 'check', 'bad/port.yaml'], { cwd: F, encoding: 'utf8', env: { ...process.env, LOKSTRA_DEBUG: '' } });
    expect(res.status).toBe(1);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/^LKS_ERR_CONFIG_INVALID: .*port\.yaml:3:\d+ apps\[0\]\.address/);
  });

  it('prints usage for an unknown command', async () => {
    expect((await runCli(['serve'])).code).toBe(2);
  });
});

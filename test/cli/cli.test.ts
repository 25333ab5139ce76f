import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main';

const ROOT = join(__dirname, '..', '..');
const F = join(__dirname, 'fixtures');

/** Runs the CLI from its TypeScript source in a child process (as the binary runs, with ts-node for the entry). */
function cli(args: string[], cwd: string, env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src/cli/main.ts'), ...args], {
    cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, LOKSTRA_DEBUG: '', LOG_LEVEL: 'error', ...env },
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe('lokstra (dispatcher)', () => {
  it('rejects an unknown command with one line and exit 2', async () => {
    const r = await runCli(['serve'], {}, F);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([expect.stringMatching(/^unknown command 'serve'; commands: new, dev, routes, config, check, generate/)]);
  });

  it('rejects an unknown option with one line and exit 2', async () => {
    const r = await runCli(['routes', '--bogus'], {}, F);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([expect.stringMatching(/^unknown option --bogus; usage: lokstra routes/)]);
  });

  it('reports a missing project (no package.json up to /) with exit 2', async () => {
    const r = await runCli(['routes'], {}, '/');
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([expect.stringMatching(/^no project found: no package\.json in \/ or above \(create one with: lokstra new <dir>\)$/)]);
  });

  it('reports a missing entry with exit 2', async () => {
    const r = await runCli(['routes', 'nope.ts'], {}, join(F, 'project'));
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([expect.stringMatching(/^entry nope\.ts not found/)]);
  });

  it('prints the commands on help, exit 0; and with no command, exit 2', async () => {
    const help = await runCli(['help'], {}, F);
    expect(help.code).toBe(0);
    for (const c of ['new', 'dev', 'routes', 'config print', 'check', 'generate']) expect(help.stdout.join('\n')).toContain(`  ${c}`);
    expect((await runCli([], {}, F)).code).toBe(2);
  });
});

describe('lokstra config print', () => {
  it('prints the interpolated config with secret keys and DSN passwords redacted', async () => {
    const r = await runCli(['config', 'print', 'secrets.yaml'], { FIXTURE_PORT: '9999' }, join(F, 'project'));
    expect(r.code).toBe(0);
    const text = r.stdout.join('\n');
    expect(text).toContain('address: :9999');
    expect(text).toContain('postgres://app:[REDACTED]@db.internal:5432/app');
    expect(text).toMatch(/password: "\[REDACTED\]"/);
    expect(text).toContain('username: app');
    expect(text).not.toMatch(/s3cret-pw|hunter2/);
  });

  it('prints JSON with --json, redacting values from the environment too', async () => {
    const r = await runCli(['config', 'print', 'secrets.yaml', '--json'], { FIXTURE_DB_PASSWORD: 'from-env-pw' }, join(F, 'project'));
    const cfg = JSON.parse(r.stdout.join('\n'));
    expect(cfg.services[1].config).toEqual({ host: 'db2.internal', username: 'app', password: '[REDACTED]' });
    expect(r.stdout.join('\n')).not.toContain('from-env-pw');
  });

  it('rejects an unknown subcommand (exit 2) and reports a bad config (exit 1, coded)', async () => {
    expect((await runCli(['config', 'show'], {}, F)).stderr[0]).toMatch(/^unknown config command 'show'; usage: lokstra config print/);
    const bad = await runCli(['config', 'print', join(ROOT, 'test/config/fixtures/bad/typo.yaml')], {}, F);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toEqual([expect.stringMatching(/^LKS_ERR_CONFIG_INVALID: /)]);
  });
});

describe('lokstra routes and check (entry built in a child process, no listener)', () => {
  it('lists app, method, path, handler and middleware from the compiled route table', () => {
    // Ports that are taken would fail a listen; routes must not listen at all.
    const r = cli(['routes'], join(F, 'project'));
    expect(r.stderr).toBe('building ' + join(F, 'project', 'main.ts') + ' (no listener)…\n');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => l.split(/\s{2,}/));
    expect(lines).toEqual([
      ['APP', 'METHOD', 'PATH', 'HANDLER', 'MIDDLEWARE'],
      ['api', 'GET', '/ping', 'ping', '-'],
      ['api', 'GET', '/hello/:name', 'HelloController.hello', '-'],
      ['admin', 'GET', '/admin/ping', 'ping', 'request_id'],
    ]);
  });

  it('filters by app and prints JSON', () => {
    const r = cli(['routes', 'main.ts', '--app', 'admin', '--json'], join(F, 'project'));
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ app: 'admin', method: 'GET', path: '/admin/ping', handler: 'ping', middleware: ['request_id'] }]);
  });

  it('check builds the entry and reports an unknown handler, controller or service name with its code', () => {
    const ok = cli(['check'], join(F, 'project'));
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/ok: entry builds — 3 route\(s\), 1 controller\(s\)/);
    const cases: [string, RegExp][] = [
      ['lokstra.config.yaml', /^LKS_ERR_ROUTE_HANDLER_NOT_FOUND: handler 'pnig' is not registered/],
      ['lokstra.controller.yaml', /^LKS_ERR_ROUTE_CONTROLLER_NOT_FOUND: controller or module 'HelloControler' is not registered/],
      ['lokstra.service.yaml', /^LKS_ERR_DI_MODULE_REQUIRES: /],
    ];
    for (const [file, want] of cases) {
      const r = cli(['check', join(F, 'bad-names', file), '--entry', join(F, 'project', 'main.ts')], join(F, 'project'), { FIXTURE_CONFIG: join(F, 'bad-names', file) });
      expect({ file, status: r.status }).toEqual({ file, status: 1 });
      const errLines = r.stderr.trim().split('\n').filter((l) => !l.startsWith('building '));
      expect(errLines).toHaveLength(1);
      expect(errLines[0]).toMatch(want);
    }
  }, 120_000);
});

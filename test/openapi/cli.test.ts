import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runCli } from '../../src/cli/main';

const ROOT = join(__dirname, '..', '..');
const exec = promisify(execFile);

/** Runs the CLI from its TypeScript source in a child process, as the binary runs. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src/cli/main.ts'), ...args], {
      cwd: ROOT, env: { ...process.env, LOKSTRA_DEBUG: '', LOG_LEVEL: 'error' }, timeout: 90_000, maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('lokstra openapi / lokstra client', () => {
  it('prints the document the app serves (the committed sample document)', async () => {
    const r = await cli(['openapi', 'samples/users-api/main.ts', '--app', 'api']);
    expect(r.code).toBe(0);
    expect(`${r.stdout.trimEnd()}\n`).toBe(readFileSync(join(ROOT, 'samples', 'users-api', 'openapi.json'), 'utf8'));
  }, 120_000);

  it('generates a document from the routes of an app without an openapi: key', async () => {
    const r = await cli(['openapi', 'samples/users-api/main.ts', '--app', 'admin']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { info: { title: string }; paths: Record<string, unknown> };
    expect(doc.info.title).toBe('admin');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/stats', '/admin/users/import', '/admin/users/export']));
  }, 120_000);

  it('fails with a coded error for an unknown app', async () => {
    const r = await cli(['openapi', 'samples/users-api/main.ts', '--app', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/LKS_ERR_CONFIG_APP_NOT_FOUND/);
  }, 120_000);

  it('needs -o for client, and rejects unknown options (exit 2)', async () => {
    const c = await runCli(['client', 'samples/users-api/main.ts'], {}, ROOT);
    expect(c.stderr).toEqual(['usage: lokstra client [entry] [--app <name>] -o <file.ts>']);
    expect(c.code).toBe(2);
    const r = await runCli(['openapi', '--format', 'yaml'], {}, ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([expect.stringMatching(/^unknown option --format; usage: lokstra openapi/)]);
  });
});

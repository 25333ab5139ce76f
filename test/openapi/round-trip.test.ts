import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { Lokstra, type LokstraHandle } from '../../src/index';
import { UsersApiModule } from '../../samples/users-api/module';
import { memoryLogger } from '../http/binding/harness';

// Round trip: `lokstra client` types for the users-api sample compile with tsc --noEmit together with
// a script that calls every route through openapi-fetch; the script then runs against the app.

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

describe('round trip: lokstra client + openapi-fetch against the users-api sample', () => {
  let dir: string;
  let h: LokstraHandle;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lokstra-client-'));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    process.env.PORT = '0';
    process.env.ADMIN_PORT = '0';
    h = await Lokstra.run(join(ROOT, 'lokstra.config.yaml'), { modules: [UsersApiModule], logger: memoryLogger(), handleSignals: false });
  }, 60_000);
  afterAll(async () => {
    delete process.env.PORT;
    delete process.env.ADMIN_PORT;
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('generates types with the CLI that compile with the calls (tsc --noEmit)', async () => {
    const cli = await run(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src/cli/main.ts'), 'client', 'samples/users-api/main.ts', '--app', 'api', '-o', join(dir, 'api.ts')], {
      cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'error', PORT: '0', ADMIN_PORT: '0' }, timeout: 90_000,
    });
    expect(cli.stderr).toContain('wrote the API types of app api');
    expect(readFileSync(join(dir, 'api.ts'), 'utf8')).toContain('export interface paths');
    copyFileSync(join(__dirname, 'fixtures', 'client-calls.ts'), join(dir, 'calls.ts'));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'esnext', moduleResolution: 'bundler', types: ['node'], skipLibCheck: true },
      files: ['calls.ts'],
    }));
    const tsc = await run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { cwd: dir, timeout: 90_000 })
      .catch((err: { stdout: string }) => ({ stdout: err.stdout, failed: true }));
    expect(tsc.stdout).toBe('');
    expect('failed' in tsc).toBe(false);
  }, 180_000);

  it('calls every route of the document against the running app', async () => {
    const js = ts.transpileModule(readFileSync(join(dir, 'calls.ts'), 'utf8'), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    writeFileSync(join(dir, 'calls.mjs'), js);
    const { stdout } = await run(process.execPath, [join(dir, 'calls.mjs'), h.app('api').url as string], { cwd: dir, timeout: 60_000 });
    const called = JSON.parse(stdout) as { route: string; status: number; ok: boolean }[];
    expect(called.filter((c) => !c.ok)).toEqual([]);
    const doc = JSON.parse(readFileSync(join(ROOT, 'samples', 'users-api', 'openapi.json'), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort();
    expect([...new Set(called.map((c) => c.route).filter((r) => !r.includes('(')))].sort()).toEqual(operations);
  }, 90_000);
});

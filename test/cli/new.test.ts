import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main';
import { lokstraSpec, TEMPLATES } from '../../src/cli/commands/new';

// Generation only (--skip-install); installing, type-checking, testing and starting each template from
// the packed tarball is test/consumer/templates.mjs (npm run test:consumers).
describe('lokstra new', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'lokstra-new-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it.each(TEMPLATES.flatMap((t) => [[t, 'esm'], [t, 'cjs']]))('writes the %s template (%s) with every file a project needs', async (template, mod) => {
    const r = await runCli(['new', 'my-app', '--template', template, '--module', mod, '--skip-install'], {}, tmp);
    expect(r.stderr).toEqual([]);
    expect(r.code).toBe(0);
    const dir = join(tmp, 'my-app');
    for (const f of ['README.md', 'AGENTS.md', '.gitignore', 'jest.config.cjs', 'tsconfig.json', 'tsconfig.build.json', 'lokstra.config.yaml', 'src/main.ts', 'src/app.module.ts']) {
      expect({ f, exists: existsSync(join(dir, f)) }).toEqual({ f, exists: true });
    }
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('my-app');
    expect(pkg.type).toBe(mod === 'esm' ? 'module' : 'commonjs');
    expect(pkg.dependencies.lokstra).toBe('^0.1.0');
    expect(Object.keys(pkg.scripts)).toEqual(expect.arrayContaining(['start', 'test', 'dev', 'typecheck']));
    const tsconfig = JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8'));
    expect(tsconfig.compilerOptions).toMatchObject({ experimentalDecorators: true, emitDecoratorMetadata: true, module: mod === 'esm' ? 'nodenext' : 'commonjs' });
    expect(readFileSync(join(dir, 'lokstra.config.yaml'), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\/node_modules\/lokstra\/dist\/cjs\/config\/lokstra\.schema\.json\n/);
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme).toContain('# my-app');
    expect(readme).toMatch(/npm start .*\nnpm test /);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toContain('node_modules/');
    expect(readme + readFileSync(join(dir, 'lokstra.config.yaml'), 'utf8')).not.toMatch(/__[A-Z_]+__/);
  });

  it('rejects a bad template, a bad module system, a missing dir and a non-empty dir with one line and exit 2', async () => {
    const bad = await runCli(['new', 'x', '--template', 'rest'], {}, tmp);
    expect([bad.code, bad.stderr]).toEqual([2, ["unknown template 'rest'; templates: api, htmx, multi-app, minimal"]]);
    const mod = await runCli(['new', 'x', '--module', 'amd'], {}, tmp);
    expect([mod.code, mod.stderr]).toEqual([2, ["unknown module system 'amd'; use --module esm or --module cjs"]]);
    const none = await runCli(['new'], {}, tmp);
    expect([none.code, none.stderr.length]).toEqual([2, 1]);
    mkdirSync(join(tmp, 'taken'));
    writeFileSync(join(tmp, 'taken', 'file.txt'), 'x');
    const taken = await runCli(['new', 'taken', '--skip-install'], {}, tmp);
    expect([taken.code, taken.stderr]).toEqual([2, ['taken exists and is not empty; choose a new folder']]);
  });

  it('pins lokstra to this version, or to the given version, path or tarball', () => {
    expect(lokstraSpec(undefined, '/x', '1.2.3')).toBe('^1.2.3');
    expect(lokstraSpec('~1.0.0', '/x', '1.2.3')).toBe('~1.0.0');
    expect(lokstraSpec('../lokstra-1.0.0.tgz', '/x/y', '1.2.3')).toBe('file:/x/lokstra-1.0.0.tgz');
    expect(lokstraSpec('/abs/lokstra', '/x', '1.2.3')).toBe('file:/abs/lokstra');
  });

  it('reports a failed install with npm\'s output and exit 1', async () => {
    const r = await runCli(['new', 'app', '--template', 'minimal'], { ...process.env, LOKSTRA_NPM: join(tmp, 'no-such-npm') }, tmp);
    expect(r.code).toBe(1);
    expect(r.stderr.at(-1)).toMatch(/^npm install failed \(exit 127\)/);
  });
});

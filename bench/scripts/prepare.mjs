#!/usr/bin/env node
// Prepares the benchmark: installs bench/'s own dependencies, builds and packs Lokstra exactly as it
// is published (`npm pack`: tsc with decorator metadata + the ESM wrapper), installs that tarball into
// bench/node_modules without saving it (so package.json/package-lock.json stay stable), generates the
// route-scaling controllers and compiles the bench with tsc (decorator metadata on; no tsx/esbuild).
//
// By default the working tree of this repository is packed (uncommitted changes included).
// LOKSTRA_REF=HEAD                         packs a committed version instead (git archive of the ref,
//                                          built with the repository's node_modules): reproducible results.
// LOKSTRA_DIR=/path/to/a/lokstra/checkout  benchmarks another copy (e.g. a patched one in /tmp).
// BENCH_SKIP_PACK=1                        reuses the lokstra already installed in bench/node_modules.
// What was packed is recorded in .lokstra/source.json (the runner prints it with the results).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const bench = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repo = resolve(bench, '..');
let lokstraDir = resolve(process.env.LOKSTRA_DIR ?? repo);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (cmd, args, cwd) => {
  process.stderr.write(`+ (${cwd}) ${cmd} ${args.join(' ')}\n`);
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 2, 2] }); // stdout stays for the results table
};

// 1. bench's own dependencies (a plain `npm install` would prune the unsaved lokstra, so it runs first).
const lock = join(bench, 'package-lock.json');
const marker = join(bench, 'node_modules', '.package-lock.json');
if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs) {
  run(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], bench);
}

// 2. lokstra as users get it: npm pack (its prepack hook cleans dist/ and builds), then install the tarball.
if (process.env.BENCH_SKIP_PACK !== '1' || !existsSync(join(bench, 'node_modules', 'lokstra'))) {
  const packDir = join(bench, '.lokstra');
  rmSync(packDir, { recursive: true, force: true });
  mkdirSync(packDir, { recursive: true });
  const git = (args, cwd) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
  let source;
  if (process.env.LOKSTRA_REF) {
    const commit = git(['rev-parse', '--verify', `${process.env.LOKSTRA_REF}^{commit}`], repo);
    const dir = join(packDir, `src-${commit.slice(0, 12)}`);
    mkdirSync(dir, { recursive: true });
    execFileSync('sh', ['-c', `git archive ${commit} | tar -x -C "${dir}"`], { cwd: repo, stdio: 'inherit' });
    symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
    lokstraDir = dir;
    source = { commit: commit.slice(0, 12), modified: false, from: `git archive ${process.env.LOKSTRA_REF}` };
  } else {
    let commit = '?';
    let modified = false;
    try {
      commit = git(['rev-parse', '--short=12', 'HEAD'], lokstraDir);
      modified = git(['status', '--porcelain', '--', 'src', 'package.json'], lokstraDir) !== '';
    } catch { /* not a git checkout */ }
    source = { commit, modified, from: lokstraDir };
  }
  run(npm, ['pack', '--silent', '--pack-destination', packDir], lokstraDir);
  const tgz = readdirSync(packDir).find((f) => f.endsWith('.tgz'));
  if (tgz === undefined) throw new Error(`npm pack produced no tarball in ${packDir}`);
  run(npm, ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', join(packDir, tgz)], bench);
  writeFileSync(join(packDir, 'source.json'), JSON.stringify(source, null, 2) + '\n');
}

// 3. generated controllers for the 10/100/1,000-route apps, then tsc.
run(process.execPath, [join(bench, 'scripts', 'gen-scale.mjs')], bench);
run(process.execPath, [join(bench, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], bench);

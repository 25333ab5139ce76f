#!/usr/bin/env node
// `lokstra new` end to end, from the packed tarball (run by test/consumer/run.sh, kind `templates`):
// for each case, generate the project with the CLI unpacked from the tarball (no dependencies
// installed: `new` needs none), let it `npm install` (progress shown), then type-check, `npm test`,
// `lokstra routes`/`check`/`generate`, probe `npm start`, and drive `lokstra dev` (edit a controller,
// break and fix the build, add a route in YAML). Prints the measured times.
//
//   node test/consumer/templates.mjs <tarball> <work-dir>
//   CONSUMER_TEMPLATES="api:esm htmx:cjs multi-app:esm minimal:cjs"   (default: minimal:esm api:cjs)
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const [tarball, work] = process.argv.slice(2);
if (!tarball || !work) {
  console.error('usage: node test/consumer/templates.mjs <tarball> <work-dir>');
  process.exit(2);
}
const CASES = (process.env.CONSUMER_TEMPLATES ?? 'minimal:esm api:cjs').split(/\s+/).filter(Boolean).map((c) => c.split(':'));
const env = {
  ...process.env,
  npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_loglevel: 'error',
  DATABASE_URL: process.env.LOKSTRA_TEST_PG_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  REDIS_URL: process.env.LOKSTRA_TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  LOG_LEVEL: 'warn', CI: 'true',
};
// What each template serves and where its controller is (for the probes and the dev edits).
const T = {
  minimal: { probe: '/hello/ada', controllerFile: 'src/hello.controller.ts', controller: 'HelloController', anchor: "  @Get('/:name')", base: '/hello' },
  api: { probe: '/health/live', controllerFile: 'src/notes/note.controller.ts', controller: 'NoteController', anchor: "  @Get('/:id')", base: '/notes' },
  htmx: { probe: '/', controllerFile: 'src/tasks.controller.ts', controller: 'TaskController', anchor: "  @Patch('/:id/toggle')", base: '/tasks' },
  'multi-app': { probe: '/items', controllerFile: 'src/item.controller.ts', controller: 'ItemController', anchor: "  @Post('/')", base: '/items' },
};

const log = (s) => console.log(`\n==> ${s}`);
const fail = (s) => {
  console.error(`\ntemplates: FAIL: ${s}`);
  process.exit(1);
};
const ms = (t) => Math.round(performance.now() - t);
// Edits come at a human pace: after a reload, lokstra dev warms the next app process in the background.
const pause = () => new Promise((r) => setTimeout(r, Number(process.env.DEV_EDIT_PAUSE_MS ?? 2000)));
function sh(cwd, cmd, args, opts = {}) {
  console.log(`+ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd, env: { ...env, ...opts.env }, encoding: 'utf8', timeout: opts.timeout ?? 120_000 });
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} in ${cwd} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** A long-running child whose output lines can be awaited. */
function startProcess(cwd, cmd, args, extraEnv = {}) {
  const child = spawn(cmd, args, { cwd, env: { ...env, ...extraEnv }, detached: true });
  const lines = [];
  const waiters = [];
  const onLine = (line) => {
    lines.push(line);
    process.stdout.write(`    | ${line}\n`);
    for (const w of [...waiters]) if (w.re.test(line)) { waiters.splice(waiters.indexOf(w), 1); clearTimeout(w.timer); w.resolve(line); }
  };
  for (const stream of [child.stdout, child.stderr]) {
    let buf = '';
    stream.on('data', (d) => {
      buf += d;
      const parts = buf.split('\n');
      buf = parts.pop();
      parts.forEach(onLine);
    });
  }
  return {
    child,
    lines,
    waitFor(re, timeoutMs = 30_000, from = 0) {
      const seen = lines.slice(from).find((l) => re.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const w = { re, resolve, timer: setTimeout(() => reject(new Error(`timed out waiting for ${re} in ${cmd} ${args.join(' ')}`)), timeoutMs) };
        waiters.push(w);
      });
    },
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const done = new Promise((r) => child.once('exit', (code, signal) => r(code ?? signal)));
      process.kill(-child.pid, 'SIGTERM');
      const t = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), 15_000);
      const code = await done;
      clearTimeout(t);
      return code;
    },
  };
}

async function get(url) {
  const res = await fetch(url);
  return { status: res.status, text: await res.text() };
}
const urlOf = (line) => /(http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1] ?? /"url":"(http:[^"]+)"/.exec(line)?.[1];

async function devScenario(dir, spec, results) {
  log(`[${dir}] lokstra dev: edit a controller, break and fix the build, add a route in YAML`);
  const dev = startProcess(dir, 'npx', ['--no-install', 'lokstra', 'dev'], { PORT: '0', ADMIN_PORT: '0' });
  try {
    let url = urlOf(await dev.waitFor(/^started in \d+ ms/, 60_000));
    const reloadedLine = async (from) => {
      const line = await dev.waitFor(/^reloaded in \d+ ms/, 30_000, from);
      results.reloadMs.push(Number(/reloaded in (\d+) ms/.exec(line)[1]));
      return line;
    };
    const file = join(dir, spec.controllerFile);
    const original = readFileSync(file, 'utf8');
    if (!original.includes(spec.anchor)) fail(`${spec.controllerFile} has no ${spec.anchor}`);
    const before = await get(`${url}${spec.base}/version`);
    if (before.status === 200 && before.text.includes('"dev":2')) fail('the route answered before the edit');

    // 1. Edit a controller: a new route appears.
    await pause();
    let mark = dev.lines.length;
    const edited = original.replace(spec.anchor, `  @Get('/version')\n  version() {\n    return { dev: 2 };\n  }\n\n${spec.anchor}`);
    const saved = performance.now();
    writeFileSync(file, edited);
    url = urlOf(await reloadedLine(mark));
    const after = await get(`${url}${spec.base}/version`);
    const seenAfter = ms(saved);
    if (after.status !== 200 || !after.text.includes('"dev":2')) fail(`after the edit ${spec.base}/version answered ${after.status} ${after.text}`);
    results.saveToAnswerMs.push(seenAfter);

    // 2. A compile error is reported and the previous build keeps serving; fixing it reloads.
    mark = dev.lines.length;
    writeFileSync(file, `${edited}\nexport const broken = ;\n`);
    await dev.waitFor(/^compile error: /, 30_000, mark);
    const still = await get(`${url}${spec.base}/version`);
    if (still.status !== 200) fail(`the previous build stopped serving during a compile error (${still.status})`);
    await pause();
    mark = dev.lines.length;
    writeFileSync(file, edited.replace('{ dev: 2 }', '{ dev: 3 }'));
    url = urlOf(await reloadedLine(mark));
    const fixed = await get(`${url}${spec.base}/version`);
    if (!fixed.text.includes('"dev":3')) fail(`after fixing the compile error: ${fixed.status} ${fixed.text}`);

    // 3. A YAML edit adds routes: the controller mounted again under /v2.
    await pause();
    mark = dev.lines.length;
    const yamlFile = join(dir, 'lokstra.config.yaml');
    const yaml = readFileSync(yamlFile, 'utf8');
    const line = yaml.split('\n').find((l) => l.includes(`controllers: [${spec.controller}`));
    if (!line) fail(`no controllers line for ${spec.controller} in lokstra.config.yaml`);
    const indent = /^\s*/.exec(line)[0];
    writeFileSync(yamlFile, yaml.replace(line, `${line}\n${indent}groups: [{ prefix: /v2, controllers: [${spec.controller}] }]`));
    url = urlOf(await reloadedLine(mark));
    const v2 = await get(`${url}/v2${spec.base}/version`);
    if (!v2.text.includes('"dev":3')) fail(`the route added in YAML answered ${v2.status} ${v2.text}`);
    writeFileSync(yamlFile, yaml);
    writeFileSync(file, original);
  } finally {
    const code = await dev.stop();
    console.log(`    lokstra dev stopped (${code})`);
  }
}

async function startProbe(dir, spec, results) {
  log(`[${dir}] npm start (PORT=0), probe ${spec.probe}`);
  const t = performance.now();
  const app = startProcess(dir, 'npm', ['start'], { PORT: '0', ADMIN_PORT: '0', LOG_LEVEL: 'info' });
  try {
    const url = urlOf(await app.waitFor(/listening on/, 60_000));
    const res = await get(`${url}${spec.probe}`);
    if (res.status !== 200) fail(`npm start: GET ${spec.probe} answered ${res.status} ${res.text.slice(0, 200)}`);
    results.startToFirstRequestMs = ms(t);
  } finally {
    const code = await app.stop();
    if (code !== 0 && code !== 'SIGTERM') fail(`npm start did not exit cleanly on SIGTERM (${code})`);
  }
}

rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, 'cli'), { recursive: true });
sh(work, 'tar', ['-xzf', tarball, '-C', join(work, 'cli')]);
const CLI = join(work, 'cli', 'package', 'dist', 'cjs', 'cli', 'main.js');
const summary = [];
for (const [template, mod] of CASES) {
  const spec = T[template];
  if (!spec) fail(`unknown template case ${template}`);
  const name = `${template}-${mod}`;
  const dir = join(work, name);
  const results = { case: name, reloadMs: [], saveToAnswerMs: [] };
  log(`[${name}] lokstra new ${name} --template ${template} --module ${mod} --lokstra <tarball>`);
  const t0 = performance.now();
  const created = sh(work, process.execPath, [CLI, 'new', name, '--template', template, '--module', mod, '--lokstra', tarball]);
  results.newWithInstallMs = ms(t0);
  if (!/installing dependencies \(npm install\)/.test(created.stderr)) fail('lokstra new showed no install progress');
  const unknown = spawnSync(process.execPath, [CLI, 'new', 'x', '--template', 'nope'], { cwd: work, encoding: 'utf8' });
  if (unknown.status !== 2 || unknown.stderr.trim().split('\n').length !== 1) fail(`bad template: exit ${unknown.status}, ${unknown.stderr}`);

  log(`[${name}] typecheck, npm test`);
  sh(dir, 'npm', ['run', 'typecheck', '--silent']);
  sh(dir, 'npm', ['test', '--silent']);

  log(`[${name}] lokstra routes, check, config print`);
  const routes = JSON.parse(sh(dir, 'npx', ['--no-install', 'lokstra', 'routes', '--json']).stdout);
  if (!routes.some((r) => r.handler.startsWith(`${spec.controller}.`))) fail(`lokstra routes lists no ${spec.controller} route: ${JSON.stringify(routes)}`);
  sh(dir, 'npx', ['--no-install', 'lokstra', 'check']);
  sh(dir, 'npx', ['--no-install', 'lokstra', 'config', 'print']);

  log(`[${name}] lokstra generate controller, service, module, dto (gateway when this lokstra has @Gateway); typecheck and test again`);
  for (const [kind, what] of [['controller', 'widgets'], ['service', 'stock'], ['module', 'billing'], ['dto', 'create-widget']]) {
    sh(dir, 'npx', ['--no-install', 'lokstra', 'generate', kind, what]);
  }
  const gw = spawnSync('npx', ['--no-install', 'lokstra', 'generate', 'gateway', 'chat'], { cwd: dir, env, encoding: 'utf8' });
  if (gw.status !== 0 && !/has no @Gateway/.test(gw.stderr)) fail(`generate gateway: exit ${gw.status} ${gw.stderr}`);
  console.log(`    generate gateway: ${gw.status === 0 ? 'generated' : gw.stderr.trim()}`);
  sh(dir, 'npm', ['run', 'typecheck', '--silent']);
  const tested = sh(dir, 'npx', ['--no-install', 'jest', '--ci', 'test/widgets.controller.test.ts', 'test/stock.service.test.ts', 'test/billing.module.test.ts', 'test/create-widget.dto.test.ts']);
  console.log(tested.stderr.split('\n').filter((l) => /^Tests:/.test(l)).join('\n'));

  await startProbe(dir, spec, results);
  await devScenario(dir, spec, results);
  summary.push(results);
}
log('templates passed');
for (const r of summary) {
  console.log(`  ${r.case}: new+install ${r.newWithInstallMs} ms; npm start (tsc + boot) to first answer ${r.startToFirstRequestMs} ms; dev reload ${r.reloadMs.join(', ')} ms (save to new answer ${r.saveToAnswerMs.join(', ')} ms)`);
}

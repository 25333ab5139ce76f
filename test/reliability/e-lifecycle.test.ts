/**
 * RELIABILITY.md §E — lifecycle and configuration. Boot and shutdown are process-level behaviour,
 * so most cases run the program as a child process (`fixtures/child-app.ts`, started with
 * `node -r ts-node/register/transpile-only`) and look at its exit code, output and ports.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { connect, Server as NetServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main';
import { Client } from 'pg';
import { createLogger, Lokstra, quoteIdent } from '../../src/index';
import { freePort, get, occupy } from '../helpers/net';
import { LogCapture, startReliabilityApp, type ReliabilityApp } from './helpers/app';
import { childModule } from './fixtures/child-module';
import { killChildren, spawnChild, type ChildApp } from './helpers/child';
import { installFaultHooks } from './helpers/guard';
import { describeWithServers, PG_URL, uniqueName } from './helpers/servers';
import { record } from './helpers/report';
import { rawGet, rawRequest } from './helpers/raw-http';

jest.setTimeout(120_000);

const SECRET = 'S3cr3t-Hunter2-Value';

/** Resolves with the error code of a connection attempt (`undefined` when it connected). */
function tryConnect(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(undefined); });
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code));
  });
}

/** A connection straight to PostgreSQL for setup and checks. */
async function pgAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: PG_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

let fixture: ReliabilityApp | undefined;
installFaultHooks(() => fixture?.live);
afterAll(async () => {
  killChildren();
  await fixture?.handle.close();
});

describe('E1 SIGTERM with in-flight requests over keep-alive', () => {
  it('completes all 10 slow requests, refuses new connections, closes the pool and exits 0 within the drain deadline', async () => {
    const port = await freePort();
    const config = {
      // A 60 s keep-alive would hold a naive shutdown for a minute; the drain deadline is 5 s.
      server: { global_setting: { shutdown_timeout: '5s', keep_alive_timeout: '60s', log_level: 'warn' } },
      services: [{ name: 'db.main', type: 'test.pool' }],
      apps: [{ name: 'api', address: `127.0.0.1:${port}`, routes: [{ method: 'GET', path: '/slow', handler: 'slow' }, { method: 'GET', path: '/fast', handler: 'fast' }] }],
    };
    const child = spawnChild(['-'], { env: { REL_CONFIG: JSON.stringify(config) } });
    await child.ready;
    const base = `http://127.0.0.1:${port}`;
    const agent = new Agent({ keepAlive: true, maxSockets: 10 });
    try {
      // Ten keep-alive connections, each used once before the slow requests ride on them.
      const warm = await Promise.all(Array.from({ length: 10 }, () => get(`${base}/fast`, agent)));
      expect(warm.every((r) => r.status === 200)).toBe(true);
      const slow = Array.from({ length: 10 }, () => get(`${base}/slow?ms=1500`, agent));
      await new Promise((r) => setTimeout(r, 400));
      const sigterm = Date.now();
      child.proc.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
      expect(await tryConnect(port)).toBe('ECONNREFUSED');
      const answers = await Promise.all(slow);
      const completed = Date.now() - sigterm;
      const exit = await child.exited;
      const shutdownMs = Date.now() - sigterm;
      expect(answers.map((r) => r.status)).toEqual(Array(10).fill(200));
      expect(answers.every((r) => JSON.parse(r.body).data.slow === 'done')).toBe(true);
      expect(answers.every((r) => r.headers.connection === 'close')).toBe(true);
      expect(exit).toMatchObject({ code: 0, signal: null });
      expect(child.stdout()).toContain('POOL-CLOSED {"inFlight":0');
      expect(shutdownMs).toBeLessThan(5000);
      record('reliability', 'shutdown', { inFlight: 10, keepAliveSockets: 10, handlerMs: 1500, sigtermToLastResponseMs: completed, sigtermToExitMs: shutdownMs, drainDeadlineMs: 5000 });
    } finally {
      agent.destroy();
      child.kill();
    }
  });
});

describeWithServers('E2 SIGTERM during a database transaction', () => {
  const table = uniqueName('sigterm');
  const count = (): Promise<number> => pgAdmin(async (c) => (await c.query(`SELECT count(*)::int AS n FROM ${quoteIdent(table)}`)).rows[0].n as number);
  const backends = (app: string): Promise<number> => pgAdmin(async (c) => (await c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [app])).rows[0].n as number);
  beforeAll(() => pgAdmin((c) => c.query(`CREATE TABLE ${quoteIdent(table)} (v int)`)));
  afterAll(() => pgAdmin((c) => c.query(`DROP TABLE IF EXISTS ${quoteIdent(table)}`)));
  beforeEach(() => pgAdmin((c) => c.query(`TRUNCATE ${quoteIdent(table)}`)));

  async function sigtermDuringTransaction(shutdownTimeout: string, txMs: number): Promise<{ status: number | string; exit: { code: number | null }; rows: number; appName: string; ms: number }> {
    const port = await freePort();
    const appName = uniqueName('e2');
    const config = {
      server: { global_setting: { shutdown_timeout: shutdownTimeout, log_level: 'warn' } },
      services: [{ name: 'db.main', type: 'lokstra.dbpool_pg', config: { dsn: PG_URL, max_connections: 2, application_name: appName } }],
      apps: [{ name: 'api', address: `127.0.0.1:${port}`, routes: [{ method: 'POST', path: '/tx', handler: 'tx.slow' }] }],
    };
    const child = spawnChild(['-'], { env: { REL_CONFIG: JSON.stringify(config) } });
    try {
      await child.ready;
      const response = rawRequest(port, { method: 'POST', target: `/tx?table=${table}&ms=${txMs}` }, { timeoutMs: 20_000 }).then((r) => r.status, (e: Error) => e.message);
      await new Promise((r) => setTimeout(r, 400));
      const sigterm = Date.now();
      child.proc.kill('SIGTERM');
      const [status, exit] = await Promise.all([response, child.exited]);
      return { status, exit, rows: await count(), appName, ms: Date.now() - sigterm };
    } finally {
      child.kill();
    }
  }

  it('lets the transaction commit within the drain deadline, then ends the pool and exits 0', async () => {
    const r = record('reliability', 'sigterm-tx-commit', await sigtermDuringTransaction('5s', 1500));
    expect(r.status).toBe(200);
    expect(r.rows).toBe(2);
    expect(r.exit.code).toBe(0);
    expect(r.ms).toBeLessThan(5000);
    expect(await backends(r.appName)).toBe(0);
  });

  it('past the drain deadline, commits nothing or everything (never half), and still exits', async () => {
    const r = record('reliability', 'sigterm-tx-deadline', await sigtermDuringTransaction('300ms', 3000));
    expect([0, 2]).toContain(r.rows);
    expect(r.ms).toBeLessThan(300 + 3000 + 3000);
    expect(r.exit.code).not.toBeNull();
    await new Promise((res) => setTimeout(res, 300));
    expect(await backends(r.appName)).toBe(0);
  });
});

/** A config directory with one `lokstra.config.yaml`, valid unless a case breaks it. */
function configFile(port: number, edit: (yaml: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'lokstra-rel-'));
  const yaml = [
    'server:', //                                                 1
    '  global_setting:', //                                       2
    '    shutdown_timeout: 2s', //                                3
    'services:', //                                               4
    '  - name: vault', //                                         5
    '    type: test.vault', //                                    6
    '    config:', //                                             7
    `      password: ${SECRET}`, //                               8
    `      dsn: postgres://app:${SECRET}@127.0.0.1:5432/app`, //  9
    'apps:', //                                                  10
    '  - name: api', //                                          11
    `    address: "127.0.0.1:${port}"`, //                       12
    '    middleware: []', //                                     13
    '    controllers: []', //                                    14
    '    routes:', //                                            15
    '      - { method: GET, path: /fast, handler: fast }', //    16
    '',
  ].join('\n');
  writeFileSync(join(dir, 'lokstra.config.yaml'), edit(yaml));
  return dir;
}

type Case = [string, (y: string) => string, RegExp, RegExp];

const BAD_CONFIGS: Case[] = [
  ['bad YAML (an unclosed flow mapping)', (y) => y.replace('handler: fast }', 'handler: fast'), /LKS_ERR_CONFIG_PARSE/, /lokstra\.config\.yaml:1[67]:\d+/],
  ['a schema-invalid value', (y) => y.replace('shutdown_timeout: 2s', 'log_level: loud'), /LKS_ERR_CONFIG_INVALID/, /lokstra\.config\.yaml:3:\d+ server\.global_setting\.log_level/],
  ['an unknown key', (y) => y.replace('    address:', '    adress:'), /LKS_ERR_CONFIG_INVALID/, /lokstra\.config\.yaml:12:\d+ apps\[0\]\.adress/],
  ['a missing environment variable', (y) => y.replace('@127.0.0.1:5432', '@${REL_UNSET_DB_HOST}'), /LKS_ERR_CONFIG_ENV_MISSING.*REL_UNSET_DB_HOST/, /lokstra\.config\.yaml:9:\d+ services\[0\]\.config\.dsn/],
];

const UNKNOWN_NAMES: Case[] = [
  ['an unknown handler name', (y) => y.replace('handler: fast', 'handler: nope'), /LKS_ERR_ROUTE_HANDLER_NOT_FOUND/, /lokstra\.config\.yaml:16:\d+ apps\[0\]\.routes\[0\]\.handler/],
  ['an unknown middleware name', (y) => y.replace('middleware: []', 'middleware: [nope]'), /LKS_ERR_MIDDLEWARE_NOT_FOUND/, /lokstra\.config\.yaml:13:\d+ apps\[0\]\.middleware\[0\]/],
  ['an unknown controller name', (y) => y.replace('controllers: []', 'controllers: [NopeController]'), /LKS_ERR_ROUTE_CONTROLLER_NOT_FOUND/, /lokstra\.config\.yaml:14:\d+ apps\[0\]\.controllers\[0\]/],
  ['an unknown service type', (y) => y.replace('type: test.vault', 'type: test.nope'), /LKS_ERR_DI_UNKNOWN_FACTORY/, /lokstra\.config\.yaml:6:\d+ services\[0\]\.type/],
];

/** A boot that is expected to fail, started early so that the children start in parallel. */
interface FailedBoot {
  child: ChildApp;
  port: number;
  /** When the failure line appeared, and how the process ended (`still running` 15 s later). */
  result: Promise<{ failedAt: number; exit: { code: number | null; at: number } | 'still running' }>;
}

function failedBoot(child: ChildApp, port: number, marker: RegExp): FailedBoot {
  const started = Date.now();
  const result = new Promise<number>((resolve) => {
    const poll = setInterval(() => {
      if (marker.test(child.stderr()) || child.proc.exitCode !== null) {
        clearInterval(poll);
        resolve(Date.now() - started);
      }
    }, 50);
  }).then(async (failedAt) => {
    const exit = await Promise.race([child.exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 15_000))]);
    return { failedAt, exit };
  });
  return { child, port, result };
}

describe('boot failures', () => {
  const boots = new Map<string, FailedBoot>();
  const dirs: string[] = [];
  let blocker: Server | undefined;
  let firstPort = 0;

  beforeAll(async () => {
    // E3: the second app's port is taken.
    const [first, second] = [await freePort(), await freePort()];
    firstPort = first;
    blocker = await occupy(second);
    const e3 = {
      services: [{ name: 'db.main', type: 'test.pool' }],
      apps: [
        { name: 'api', address: `127.0.0.1:${first}`, routes: [{ method: 'GET', path: '/fast', handler: 'fast' }] },
        { name: 'admin', address: `127.0.0.1:${second}`, routes: [{ method: 'GET', path: '/fast', handler: 'fast' }] },
      ],
    };
    boots.set('E3', failedBoot(spawnChild(['-'], { env: { REL_CONFIG: JSON.stringify(e3) } }), second, /LKS_ERR/));
    // E4: one bad config as a whole program (exit code, no bind); the others in-process below.
    const [what, edit, code] = BAD_CONFIGS[0] as Case;
    const port = await freePort();
    const dir = configFile(port, edit);
    dirs.push(dir);
    boots.set(what, failedBoot(spawnChild([join(dir, 'lokstra.config.yaml')], { reportListen: true }), port, code));
    // E5: a service whose onStart never finishes.
    const e5Port = await freePort();
    const e5 = {
      server: { global_setting: { start_timeout: '500ms', shutdown_timeout: '1s' } },
      services: [{ name: 'db.main', type: 'test.pool' }, { name: 'stuck.service', type: 'test.hanging' }],
      apps: [{ name: 'api', address: `127.0.0.1:${e5Port}`, routes: [{ method: 'GET', path: '/fast', handler: 'fast' }] }],
    };
    boots.set('E5', failedBoot(spawnChild(['-'], { env: { REL_CONFIG: JSON.stringify(e5) }, reportListen: true }), e5Port, /LKS_ERR_SERVICE_START_TIMEOUT/));
  });

  afterAll(() => {
    blocker?.close();
    killChildren();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  describe('E3 a port already in use on the second app', () => {
    it('exits non-zero naming the app and address, after releasing the first app\'s port and stopping services', async () => {
      const boot = boots.get('E3') as FailedBoot;
      const { exit } = await boot.result;
      expect(exit).toMatchObject({ code: 1 });
      expect(boot.child.stderr()).toContain(`LKS_ERR_CONFIG_LISTEN_FAILED: app 'admin' cannot listen on 127.0.0.1:${boot.port}: EADDRINUSE`);
      expect(boot.child.stdout()).toContain('POOL-CLOSED');
      expect(await tryConnect(firstPort)).toBe('ECONNREFUSED');
      (await occupy(firstPort)).close();
    });
  });

  describe('E4 bad configuration fails before any port is bound', () => {
    it('as a program: exits 1 with file:line, having bound nothing and printed no secret', async () => {
      const [what, , code, where] = BAD_CONFIGS[0] as Case;
      const boot = boots.get(what) as FailedBoot;
      const { exit } = await boot.result;
      const output = boot.child.stdout() + boot.child.stderr();
      expect(exit).toMatchObject({ code: 1 });
      expect(boot.child.stderr()).toMatch(code);
      expect(boot.child.stderr()).toMatch(where);
      expect(output).not.toContain('LISTEN-ATTEMPT');
      expect(output).not.toContain(SECRET);
      expect(await tryConnect(boot.port)).toBe('ECONNREFUSED');
    });

    it.each([...BAD_CONFIGS, ...UNKNOWN_NAMES])('%s: Lokstra.run rejects with file:line and key path, binds nothing, logs and prints no secret', async (_what, edit, code, where) => {
      const port = await freePort();
      const dir = configFile(port, edit);
      dirs.push(dir);
      const logs = new LogCapture();
      const listen = jest.spyOn(NetServer.prototype, 'listen');
      try {
        const err = await Lokstra.run(join(dir, 'lokstra.config.yaml'), { modules: [childModule], logger: createLogger({ stream: logs }), handleSignals: false })
          .then((h) => h.close().then((): Error & { code?: string } => new Error('booted')), (e: unknown) => e as Error & { code?: string });
        expect(`${err.code}: ${err.message}`).toMatch(code);
        expect(`${err.code}: ${err.message}`).toMatch(where);
        expect(listen).not.toHaveBeenCalled();
        expect(`${err.message} ${JSON.stringify((err as { params?: unknown }).params ?? {})} ${logs.lines.join('\n')}`).not.toContain(SECRET);
      } finally {
        listen.mockRestore();
      }
      expect(await tryConnect(port)).toBe('ECONNREFUSED');
    });

    it.each(BAD_CONFIGS)('%s: lokstra check exits 1 with file:line and key path, printing no secret', async (_what, edit, code, where) => {
      const dir = configFile(await freePort(), edit);
      dirs.push(dir);
      const res = await runCli(['check', 'lokstra.config.yaml'], {}, dir);
      const output = [...res.stdout, ...res.stderr].join('\n');
      expect(res.code).toBe(1);
      expect(output).toMatch(code);
      expect(output).toMatch(where);
      expect(output).not.toContain(SECRET);
    });
  });

  describe('E5 a service whose onStart hangs', () => {
    it('fails boot after start_timeout naming the service, binds nothing, stops what started, and the process exits', async () => {
      const boot = boots.get('E5') as FailedBoot;
      const { exit } = await boot.result;
      expect(boot.child.stderr()).toMatch(/LKS_ERR_SERVICE_START_TIMEOUT: service 'stuck\.service' did not finish onStart within 500 ms/);
      expect(boot.child.stderr()).not.toContain('LISTEN-ATTEMPT');
      expect(boot.child.stdout()).toContain('POOL-CLOSED');
      // Nothing may be left open (SPEC §2): the process ends by itself, with exit code 1.
      expect(exit).toMatchObject({ code: 1 });
    });
  });
});

describe('E6 handlers that misbehave', () => {
  beforeAll(async () => { fixture = await startReliabilityApp(); });

  const cases: [string, string, number][] = [
    ['throwing a string', '/fail/string', 500],
    ['throwing an object literal', '/fail/object', 500],
    ['throwing null', '/fail/null', 500],
    ['rejecting after the response was sent', '/fail/reject-after-send', 200],
    ['sending twice', '/fail/send-twice', 200],
    ['sending, then returning a value', '/fail/send-then-return', 200],
  ];

  it.each(cases)('%s: the client gets one answer, the log one line, and the process survives', async (_what, url, status) => {
    const app = fixture as ReliabilityApp;
    const mark = app.logs.mark();
    const res = await rawGet(app.port, url);
    expect(res.status).toBe(status);
    if (status === 500) expect(JSON.parse(res.text)).toEqual({ code: 'INTERNAL_ERROR', success: false, message: 'Internal server error' });
    else expect(JSON.parse(res.text)).toEqual({ sent: 'first' });
    await new Promise((r) => setTimeout(r, 100));
    const problems = app.logs.since(mark).filter((l) => l.message !== 'request completed');
    expect(problems).toHaveLength(1);
    expect(['warn', 'error']).toContain(problems[0]?.level);
    expect((await rawGet(app.port, '/health/live')).status).toBe(200);
  });
});

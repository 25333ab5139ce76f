import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { redactDsn } from '../../../src/internal/secrets';

/** The PostgreSQL the service tests use (database `test`, trust auth). */
export const PG_URL = process.env.LOKSTRA_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The MariaDB (or MySQL) the data tests use (database `test`, root without password). */
export const MYSQL_URL = process.env.LOKSTRA_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
/** The Redis the service tests use. */
export const REDIS_URL = process.env.LOKSTRA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const PROBE = `
const net = require('node:net');
const s = net.connect({ host: process.argv[1], port: Number(process.argv[2]) });
s.setTimeout(1500, () => process.exit(1));
s.on('connect', () => process.exit(0));
s.on('error', () => process.exit(1));
`;

const probed = new Map<string, boolean>();

/** True when a TCP connection to the URL's host:port succeeds (checked synchronously, once per URL). */
export function reachable(url: string): boolean {
  let ok = probed.get(url);
  if (ok === undefined) {
    const u = new URL(url);
    const port = u.port || (u.protocol.startsWith('redis') ? '6379' : u.protocol.startsWith('mysql') ? '3306' : '5432');
    ok = spawnSync(process.execPath, ['-e', PROBE, u.hostname, port], { timeout: 3000 }).status === 0;
    probed.set(url, ok);
  }
  return ok;
}

type Server = 'PostgreSQL' | 'Redis' | 'MariaDB';
const URLS: Record<Server, string> = { PostgreSQL: PG_URL, Redis: REDIS_URL, MariaDB: MYSQL_URL };

/**
 * `describe` when the servers are reachable. Otherwise: with `CI=true` the suite FAILS (a CI run must
 * never silently skip the real-server tests); locally it is skipped with a loud warning.
 */
export function describeWith(servers: Server[], name: string, fn: () => void): void {
  const missing = servers.filter((s) => !reachable(URLS[s]));
  if (missing.length === 0) {
    describe(name, fn);
    return;
  }
  const what = missing.map((s) => `${s} at ${redactDsn(URLS[s])}`).join(' and ');
  if (process.env.CI === 'true') {
    describe(name, () => {
      it(`needs ${what}`, () => {
        throw new Error(`${what} unreachable and CI=true: real-server tests must not be skipped (start the server, or set LOKSTRA_TEST_PG_URL / LOKSTRA_TEST_REDIS_URL / LOKSTRA_TEST_MYSQL_URL)`);
      });
    });
    return;
  }
  console.warn(`\n${'!'.repeat(78)}\n!! SKIPPED "${name}": ${what} unreachable.\n!! Start it, or set LOKSTRA_TEST_PG_URL / LOKSTRA_TEST_REDIS_URL / LOKSTRA_TEST_MYSQL_URL. (With CI=true this fails.)\n${'!'.repeat(78)}\n`);
  describe.skip(name, fn);
}

/** A name unique to this test run, safe as an SQL identifier or a Redis key part (`lks_<tag>_<random>`). */
export function uniqueName(tag: string): string {
  return `lks_${tag}_${process.pid}_${randomBytes(4).toString('hex')}`.toLowerCase();
}

/** Milliseconds taken by `work`, with its outcome. */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const start = performance.now();
  try {
    const value = await work();
    return { ms: performance.now() - start, value };
  } catch (error) {
    return { ms: performance.now() - start, error };
  }
}

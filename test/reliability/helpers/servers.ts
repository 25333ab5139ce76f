import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/** The PostgreSQL the fault tests use (database `test`, trust auth on loopback). */
export const PG_URL = process.env.LOKSTRA_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The Redis the fault tests use. */
export const REDIS_URL = process.env.LOKSTRA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const PROBE = `const s = require('node:net').connect({ host: process.argv[1], port: Number(process.argv[2]) });
s.setTimeout(1500, () => process.exit(1)); s.on('connect', () => process.exit(0)); s.on('error', () => process.exit(1));`;

/** host and port of a server URL. */
export function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || (u.protocol.startsWith('redis') ? 6379 : 5432)) };
}

function reachable(url: string): boolean {
  const { host, port } = hostPort(url);
  return spawnSync(process.execPath, ['-e', PROBE, host, String(port)], { timeout: 3000 }).status === 0;
}

/**
 * `describe` when PostgreSQL and Redis are reachable. Otherwise the suite fails under `CI=true`
 * (real-server tests must never be skipped silently in CI) and is skipped with a warning locally.
 */
export function describeWithServers(name: string, fn: () => void): void {
  const missing = [['PostgreSQL', PG_URL], ['Redis', REDIS_URL]].filter(([, url]) => !reachable(url as string)).map(([n, url]) => `${n} at ${url}`);
  if (missing.length === 0) return describe(name, fn);
  if (process.env.CI === 'true') {
    return describe(name, () => it(`needs ${missing.join(' and ')}`, () => { throw new Error(`${missing.join(' and ')} unreachable and CI=true`); }));
  }
  console.warn(`SKIPPED "${name}": ${missing.join(' and ')} unreachable (set LOKSTRA_TEST_PG_URL / LOKSTRA_TEST_REDIS_URL)`);
  describe.skip(name, fn);
}

/** A name unique to this run, safe as an SQL identifier or a key prefix. */
export function uniqueName(tag: string): string {
  return `lks_rel_${tag}_${process.pid}_${randomBytes(3).toString('hex')}`;
}

import { LokstraError } from '../../errors/lokstra-error';
import type { AnyDbPool, DbConnection, DbExecutor } from '../../services/dbpool-pg/types';

/** The connection a migration run holds: the engine's lock, and a transaction per migration. */
export interface MigrationSession {
  readonly conn: DbConnection<unknown>;
  /** Runs `fn` so that its statements commit together or not at all (where the engine allows). */
  atomically<T>(fn: (ex: DbExecutor) => Promise<T>): Promise<T>;
  /** Releases the lock and the connection. */
  end(): Promise<void>;
}

const POLL_MS = 200;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Takes the migration lock of a pool, one runner at a time across instances: PostgreSQL
 * `pg_try_advisory_lock`, MariaDB `GET_LOCK`, SQLite an exclusive transaction around the run.
 * Polls until `timeoutMs`, then fails with `LKS_ERR_MIGRATION_LOCKED`.
 */
export async function openSession(pool: AnyDbPool, service: string, timeoutMs: number): Promise<MigrationSession> {
  const conn = await pool.acquire();
  try {
    const deadline = Date.now() + timeoutMs;
    while (!(await tryLock(pool, conn))) {
      if (Date.now() >= deadline) throw new LokstraError('LKS_ERR_MIGRATION_LOCKED', { service, timeout: timeoutMs });
      await sleep(POLL_MS);
    }
  } catch (err) {
    await conn.release();
    throw err;
  }
  if (pool.dialect === 'sqlite') return sqliteSession(conn);
  return {
    conn,
    atomically: (fn) => conn.transaction((tx) => fn(tx)),
    async end() {
      try {
        if (pool.dialect === 'postgres') await conn.query('SELECT pg_advisory_unlock(hashtext($1))', [lockName(pool)]);
        else await conn.query('SELECT RELEASE_LOCK(?)', [lockName(pool)]);
      } finally {
        await conn.release();
      }
    },
  };
}

function lockName(pool: AnyDbPool): string {
  return `lokstra_migrate:${pool.schema ?? ''}`.slice(0, 64);
}

async function tryLock(pool: AnyDbPool, conn: DbConnection<unknown>): Promise<boolean> {
  if (pool.dialect === 'postgres') return (await conn.queryOne<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [lockName(pool)]))?.ok === true;
  if (pool.dialect === 'mysql') return Number((await conn.queryOne<{ ok: unknown }>('SELECT GET_LOCK(?, 0) AS ok', [lockName(pool)]))?.ok) === 1;
  try {
    await conn.exec('BEGIN EXCLUSIVE');
    return true;
  } catch (err) {
    if (/^SQLITE_(BUSY|LOCKED)/.test(String((err as { code?: unknown }).code))) return false;
    throw err;
  }
}

// The whole run is one exclusive transaction; each migration a savepoint inside it.
function sqliteSession(conn: DbConnection<unknown>): MigrationSession {
  return {
    conn,
    async atomically(fn) {
      await conn.exec('SAVEPOINT lokstra_migration');
      try {
        const result = await fn(conn);
        await conn.exec('RELEASE SAVEPOINT lokstra_migration');
        return result;
      } catch (err) {
        await conn.exec('ROLLBACK TO SAVEPOINT lokstra_migration');
        await conn.exec('RELEASE SAVEPOINT lokstra_migration');
        throw err;
      }
    },
    async end() {
      try {
        await conn.exec('COMMIT');
      } finally {
        await conn.release();
      }
    },
  };
}

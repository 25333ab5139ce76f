import { isAbsolute, resolve } from 'node:path';
import type { ServiceFactoryContext } from '../../metadata/types';
import { serviceConfig } from '../../services/internal/config-reader';
import { SqlitePool } from './pool';

/** Config keys of `lokstra.dbpool_sqlite` (kept equal to the schema's by a test). */
export const SQLITE_CONFIG_KEYS = ['file', 'busy_timeout', 'connection_timeout', 'journal_mode', 'foreign_keys', 'readonly'] as const;

/** Defaults of `lokstra.dbpool_sqlite` (ms where a duration). */
export const SQLITE_DEFAULTS = {
  busy_timeout: 2_000,
  connection_timeout: 5_000,
  journal_mode: 'wal',
  foreign_keys: true,
  readonly: false,
} as const;

const JOURNAL_MODES = ['wal', 'delete', 'truncate', 'persist', 'memory', 'off'];

/**
 * The `lokstra.dbpool_sqlite` factory (better-sqlite3 12, an optional peer dependency loaded here).
 * `file` is resolved against the working directory; `:memory:` is a private in-memory database.
 */
export function sqlitePoolFactory(config: Record<string, unknown>, ctx: ServiceFactoryContext): SqlitePool {
  const c = serviceConfig(ctx.name, config, SQLITE_CONFIG_KEYS);
  const given = c.string('file') || c.fail('file', 'required: the database file (or :memory:)');
  if (given.includes('\0')) c.fail('file', 'must not contain NUL');
  const journalMode = c.string('journal_mode', SQLITE_DEFAULTS.journal_mode).toLowerCase();
  if (!JOURNAL_MODES.includes(journalMode)) c.fail('journal_mode', `expected one of ${JOURNAL_MODES.join(', ')}`);
  const file = given === ':memory:' || isAbsolute(given) ? given : resolve(given);
  try {
    return new SqlitePool({
      name: ctx.name, file, journalMode,
      busyTimeout: c.duration('busy_timeout', SQLITE_DEFAULTS.busy_timeout),
      acquireTimeout: c.duration('connection_timeout', SQLITE_DEFAULTS.connection_timeout),
      foreignKeys: c.bool('foreign_keys', SQLITE_DEFAULTS.foreign_keys),
      readonly: c.bool('readonly', SQLITE_DEFAULTS.readonly),
    });
  } catch (err) {
    return c.fail('file', `cannot open ${JSON.stringify(file)}: ${(err as Error).message}`);
  }
}

export { SqlitePool, type SqlitePoolOptions, type SqliteDbPool } from './pool';
export { mapSqliteError } from './errors';

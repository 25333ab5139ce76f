import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One migration: `<name>.up.sql` and, optionally, `<name>.down.sql` in the service's folder. */
export interface MigrationFile {
  name: string;
  upPath: string;
  downPath: string | undefined;
  /** SHA-256 of the up file (line endings normalised): an applied migration must keep it. */
  checksum: string;
}

const UP = /^(.+)\.up\.sql$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** The checksum of a migration's SQL (CRLF and CR made LF, so a checkout on Windows does not differ). */
export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n?/g, '\n')).digest('hex');
}

/** The migrations of a folder, sorted by name (names start with a sortable timestamp). A missing folder has none. */
export function readMigrations(dir: string): MigrationFile[] {
  if (!existsSync(dir)) return [];
  const names = readdirSync(dir);
  return names.flatMap((file) => {
    const m = UP.exec(file);
    if (m === null) return [];
    const name = m[1] as string;
    const upPath = join(dir, file);
    const down = `${name}.down.sql`;
    return [{ name, upPath, downPath: names.includes(down) ? join(dir, down) : undefined, checksum: checksumOf(readFileSync(upPath, 'utf8')) }];
  }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** `YYYYMMDDHHMMSS` in UTC. */
function stamp(now: Date): string {
  return now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** Writes `<timestamp>_<name>.up.sql` and `.down.sql` (folder created); refuses names that are not file-safe. */
export function createMigration(dir: string, name: string, now = new Date()): { up: string; down: string } {
  const slug = name.trim().replace(/\s+/g, '_').toLowerCase();
  if (!NAME.test(slug)) throw new TypeError(`migration name ${JSON.stringify(name)}: use letters, digits, _ . -`);
  mkdirSync(dir, { recursive: true });
  const base = `${stamp(now)}_${slug}`;
  const up = join(dir, `${base}.up.sql`);
  const down = join(dir, `${base}.down.sql`);
  if (existsSync(up)) throw new TypeError(`${up} already exists`);
  writeFileSync(up, `-- ${slug}: applied by \`lokstra migrate up\` in one transaction (PostgreSQL, SQLite).\n`);
  writeFileSync(down, `-- ${slug}: reverted by \`lokstra migrate down\`.\n`);
  return { up, down };
}

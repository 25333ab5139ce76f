import { Inject, quoteIdent, Service, type DbPool, type KvStore } from 'lokstra';
import type { CreateNoteDto } from './note.dto.js';

export interface Note {
  id: number;
  title: string;
  body: string;
  createdAt: string;
}

const COLUMNS = `id::int AS id, title, body, created_at AS "createdAt"`;

/** Notes in PostgreSQL (schema and table created at start), single notes read through the Redis cache. */
@Service()
export class NoteService {
  constructor(
    @Inject('db') private readonly db: DbPool,
    @Inject('cache') private readonly cache: KvStore,
  ) {}

  async onStart(): Promise<void> {
    if (this.db.schema !== undefined) await this.db.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.db.schema)}`);
    await this.db.exec(`CREATE TABLE IF NOT EXISTS notes (
      id bigserial PRIMARY KEY,
      title text NOT NULL,
      body text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  list(limit: number): Promise<Note[]> {
    return this.db.query<Note>(`SELECT ${COLUMNS} FROM notes ORDER BY id DESC LIMIT $1`, [limit]);
  }

  /** The note (a missing one is a 404 NOT_FOUND) and whether it came from the cache. */
  async get(id: number): Promise<{ note: Note; cached: boolean }> {
    const hit = await this.cache.get<Note>(`note:${id}`);
    if (hit !== undefined) return { note: hit, cached: true };
    const note = await this.db.queryMustOne<Note>(`SELECT ${COLUMNS} FROM notes WHERE id = $1`, [id]);
    await this.cache.set(`note:${id}`, note);
    return { note, cached: false };
  }

  create(dto: CreateNoteDto): Promise<Note> {
    return this.db.queryMustOne<Note>(`INSERT INTO notes (title, body) VALUES ($1, $2) RETURNING ${COLUMNS}`, [dto.title, dto.body ?? '']);
  }
}

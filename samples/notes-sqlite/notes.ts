import { cache, defineModule, type Context, type SqliteDbPool, type Storage } from '../../src/index';

interface Note { id: number; title: string; body: string }

const db = (ctx: Context): SqliteDbPool => ctx.container.get<SqliteDbPool>('db');
const files = (ctx: Context): Storage => ctx.container.get<Storage>('files');

/** The notes handlers: a cached list, a create that invalidates it, an attachment with a signed link. */
export const notesModule = defineModule({
  name: 'notes',
  handlers: {
    'notes.list': async (ctx: Context) => ctx.ok(await db(ctx).query<Note & Record<string, unknown>>('SELECT id, title, body FROM notes ORDER BY id')),
    'notes.create': async (ctx: Context) => {
      const { title, body } = ctx.body as { title: unknown; body?: unknown };
      const note = await db(ctx).queryOne('INSERT INTO notes (title, body) VALUES (?, ?) RETURNING id, title, body', [title, body ?? '']);
      await cache.invalidate('notes');
      return ctx.okCreated(note);
    },
    'notes.attach': async (ctx: Context) => {
      const id = Number(ctx.params.id);
      await db(ctx).queryMustOne('SELECT id FROM notes WHERE id = ?', [id]);
      const key = `notes/${id}/attachment.txt`;
      await files(ctx).put(key, JSON.stringify(ctx.body));
      return ctx.ok({ url: files(ctx).signedUrl(key) });
    },
  },
});

import 'reflect-metadata';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main';
import { Lokstra, type LokstraHandle } from '../../src/index';
import { notesModule } from '../../samples/notes-sqlite/notes';
import { quietLogger } from '../services/helpers/quiet';

const SAMPLE = join(__dirname, '..', '..', 'samples', 'notes-sqlite');
const CONFIG = join(SAMPLE, 'lokstra.yaml');

describe('sample: notes-sqlite (samples/notes-sqlite/lokstra.yaml)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lokstra-notes-'));
  const saved = { ...process.env };
  const env = { NOTES_DB: join(dir, 'notes.db'), NOTES_FILES: join(dir, 'files'), LOG_LEVEL: 'error', PORT: '0' };
  let h: LokstraHandle;
  const api = () => h.apps[0]!;

  beforeAll(async () => {
    const migrated = await runCli(['migrate', 'up', '--config', CONFIG, '--dir', join(SAMPLE, 'migrations', 'db')], { ...process.env, ...env }, dir);
    expect([migrated.code, migrated.stderr]).toEqual([0, []]);
    expect(migrated.stdout).toEqual(['applied 20261203000000_notes']);
    Object.assign(process.env, env);
    h = await Lokstra.build(CONFIG, { modules: [notesModule], logger: quietLogger() });
  });

  afterAll(async () => {
    await h?.close();
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists notes from the cache and drops the cached list when a note is created', async () => {
    expect((await api().inject({ method: 'POST', url: '/notes', payload: { title: 'first' } })).statusCode).toBe(201);
    const miss = await api().inject('/notes');
    expect([miss.headers['x-cache'], miss.json().data.length]).toEqual(['MISS', 1]);
    expect((await api().inject('/notes')).headers['x-cache']).toBe('HIT');
    await api().inject({ method: 'POST', url: '/notes', payload: { title: 'second', body: 'b' } });
    const after = await api().inject('/notes');
    expect([after.headers['x-cache'], after.json().data.map((n: { title: string }) => n.title)]).toEqual(['MISS', ['first', 'second']]);
  });

  it('answers 409 for a duplicate title and 404 for an attachment of a missing note', async () => {
    const dup = await api().inject({ method: 'POST', url: '/notes', payload: { title: 'dup' } });
    expect(dup.statusCode).toBe(201);
    const again = await api().inject({ method: 'POST', url: '/notes', payload: { title: 'dup' } });
    expect([again.statusCode, again.json().code]).toEqual([409, 'CONFLICT']);
    expect((await api().inject({ method: 'PUT', url: '/notes/9999/attachment', payload: { a: 1 } })).statusCode).toBe(404);
  });

  it('stores an attachment and serves it through its signed URL', async () => {
    const created = await api().inject({ method: 'POST', url: '/notes', payload: { title: 'with file' } });
    const id = created.json().data.id as number;
    const attached = await api().inject({ method: 'PUT', url: `/notes/${id}/attachment`, payload: { text: 'hello' } });
    const url = attached.json().data.url as string;
    expect(url).toMatch(new RegExp(`^/_storage/files/notes/${id}/attachment\\.txt\\?exp=\\d+&sig=`));
    const file = await api().inject(url);
    expect([file.statusCode, file.body]).toEqual([200, '{"text":"hello"}']);
    expect(readdirSync(join(dir, 'files', 'notes', String(id)))).toEqual(['attachment.txt']);
  });
});

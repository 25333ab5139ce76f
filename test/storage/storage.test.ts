import 'reflect-metadata';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpError, Lokstra, LokstraError, type LokstraHandle, type Storage } from '../../src/index';
import { rawGet } from '../reliability/helpers/raw-http';
import { quietLogger } from '../services/helpers/quiet';

const SECRET = 'storage-secret-0123456789-abcdefghij';
const BAD_KEYS = ['', '../x', 'a/../../x', '/etc/passwd', 'a//b', './a', 'a/.', 'a\\b', 'C:/x', 'a\u0000b', 'a\nb', 'x'.repeat(1025)];

function suite(driver: 'local' | 'memory'): void {
  let dir: string;
  let h: LokstraHandle;
  let store: Storage;
  let port: number;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lokstra-storage-'));
    writeFileSync(join(dir, 'outside.txt'), 'outside');
    const root = join(dir, 'root');
    h = await Lokstra.run({
      services: [{ name: 'files', type: 'lokstra.storage', config: { driver, ...(driver === 'local' ? { root } : {}), secret: SECRET, url_expiry: '1m' } }],
      apps: [{ name: 'api', address: '127.0.0.1:0', routes: [] }],
    }, { logger: quietLogger(), handleSignals: false });
    store = h.getService<Storage>('files');
    port = Number(new URL(h.apps[0]!.url!).port);
  });
  afterEach(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${driver}: put, get, stream, exists, delete`, async () => {
    await store.put('docs/a b.txt', 'hello');
    await store.put('docs/a b.txt', 'hello again');
    expect((await store.get('docs/a b.txt'))?.toString()).toBe('hello again');
    const chunks: Buffer[] = [];
    for await (const c of await store.stream('docs/a b.txt')) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('hello again');
    expect(await store.exists('docs/a b.txt')).toBe(true);
    expect(await store.get('docs/none')).toBeUndefined();
    await expect(store.stream('docs/none')).rejects.toMatchObject({ status: 404 });
    expect(await store.delete('docs/a b.txt')).toBe(true);
    expect(await store.delete('docs/a b.txt')).toBe(false);
    expect(await store.exists('docs/a b.txt')).toBe(false);
    if (driver === 'local') expect(readdirSync(join(dir, 'root', 'docs'))).toEqual([]);
  });

  it(`${driver}: rejects keys with .., absolute paths, backslashes, NUL and control characters (400)`, async () => {
    for (const key of BAD_KEYS) {
      const err = await store.put(key, 'x').then(() => undefined, (e: unknown) => e);
      expect([key, err instanceof HttpError && err.status]).toEqual([key, 400]);
      await expect(store.get(key)).rejects.toBeInstanceOf(HttpError);
    }
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });

  it(`${driver}: serves a signed URL until it expires; forged, altered or expired links are 403`, async () => {
    await store.put('img/logo.png', Buffer.from([1, 2, 3]));
    const url = store.signedUrl('img/logo.png');
    expect(url).toMatch(/^\/_storage\/files\/img\/logo\.png\?exp=\d+&sig=[\w-]+$/);
    const ok = await rawGet(port, url);
    expect([ok.status, ok.headers['content-type'], ok.headers['x-content-type-options'], [...ok.body]]).toEqual([200, 'image/png', 'nosniff', [1, 2, 3]]);
    const forged = url.replace(/sig=[\w-]+/, 'sig=AAAA');
    expect((await rawGet(port, forged)).status).toBe(403);
    expect((await rawGet(port, url.replace('logo.png', 'other.png'))).status).toBe(403);
    expect((await rawGet(port, url.replace(/exp=(\d+)/, (_m, e: string) => `exp=${Number(e) + 1000}`))).status).toBe(403);
    expect((await rawGet(port, '/_storage/files/img/logo.png')).status).toBe(403);
    const expired = store.signedUrl('img/logo.png', { expiresIn: -2000 });
    expect((await rawGet(port, expired)).status).toBe(403);
  });

  it(`${driver}: the download route never leaves the store (raw ../ and encoded traversal)`, async () => {
    for (const target of ['/_storage/files/../outside.txt', '/_storage/files/..%2Foutside.txt', '/_storage/files/%2e%2e/outside.txt', '/_storage/files/a%00b']) {
      const res = await rawGet(port, `${target}?exp=9999999999&sig=x`);
      expect([target, [400, 403, 404].includes(res.status)]).toEqual([target, true]);
      expect(res.text).not.toContain('outside');
    }
    const signedTraversal = await rawGet(port, `/_storage/files/..%2Foutside.txt?exp=9999999999&sig=x`);
    expect(signedTraversal.text).not.toContain('outside');
  });
}

describe('lokstra.storage', () => {
  suite('local');
  suite('memory');

  it('refuses a short secret, an unknown driver and local without root at boot', async () => {
    for (const config of [{ driver: 'memory', secret: 'short' }, { driver: 's3' }, { driver: 'local' }]) {
      const err = await Lokstra.build({ services: [{ name: 'files', type: 'lokstra.storage', config }], apps: [] }, { logger: quietLogger() }).then(() => undefined, (e: unknown) => e);
      expect(LokstraError.is(err) && err.code).toBe('LKS_ERR_CONFIG_INVALID');
    }
  });
});

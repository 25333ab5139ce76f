import 'reflect-metadata';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lokstra, type LokstraHandle } from '../../src/index';
import { realInside } from '../../src/static/real-path';
import { rawGet } from '../reliability/helpers/raw-http';

/**
 * A temp tree:
 *   outside/secret.txt, outside/dir/deep.txt          (never served)
 *   root/index.html, root/real/inner.txt, root/.env
 *   root/to-secret.txt -> ../outside/secret.txt       (file link out)
 *   root/to-outside -> ../outside                     (directory link out)
 *   root/sub/to-etc -> /etc                           (link inside a subfolder)
 *   root/sub/up -> ..  root/loop -> loop              (links that stay in / loop)
 *   root/alias.txt -> real/inner.txt                  (link inside the root: served)
 *   root/linked -> real                               (directory link inside: served)
 *   root/hidden.txt -> .env                           (link to a dot-file: not served)
 *   root/dangling -> nowhere
 *   rootlink -> root                                  (the mount folder itself a link: works)
 */
const base = mkdtempSync(join(tmpdir(), 'lokstra-symlinks-'));
const root = join(base, 'root');
function tree(): void {
  mkdirSync(join(base, 'outside', 'dir'), { recursive: true });
  writeFileSync(join(base, 'outside', 'secret.txt'), 'SYMLINK-OUTSIDE-SECRET');
  writeFileSync(join(base, 'outside', 'dir', 'deep.txt'), 'SYMLINK-OUTSIDE-SECRET deep');
  writeFileSync(join(base, 'outside', 'index.html'), 'SYMLINK-OUTSIDE-SECRET index');
  mkdirSync(join(root, 'real'), { recursive: true });
  mkdirSync(join(root, 'sub'));
  writeFileSync(join(root, 'index.html'), 'ROOT-INDEX');
  writeFileSync(join(root, 'real', 'inner.txt'), 'INNER-FILE');
  writeFileSync(join(root, '.env'), 'SYMLINK-DOTFILE-SECRET');
  symlinkSync('../outside/secret.txt', join(root, 'to-secret.txt'));
  symlinkSync('../outside', join(root, 'to-outside'));
  symlinkSync('/etc', join(root, 'sub', 'to-etc'));
  symlinkSync('../../outside/secret.txt', join(root, 'sub', 'deep-secret.txt'));
  symlinkSync('..', join(root, 'sub', 'up'));
  symlinkSync('loop', join(root, 'loop'));
  symlinkSync('real/inner.txt', join(root, 'alias.txt'));
  symlinkSync('real', join(root, 'linked'));
  symlinkSync('.env', join(root, 'hidden.txt'));
  symlinkSync('nowhere', join(root, 'dangling'));
  symlinkSync('root', join(base, 'rootlink'));
}
tree();

describe('static mounts and symlinks', () => {
  let h: LokstraHandle;
  let port: number;
  beforeAll(async () => {
    h = await Lokstra.run({
      apps: [{
        name: 'web', address: '127.0.0.1:0',
        mount_static: [{ prefix: '/s', folder: root }, { prefix: '/l', folder: join(base, 'rootlink') }],
        mount_spa: [{ prefix: '/spa', folder: root }],
      }],
    }, { handleSignals: false });
    port = Number(new URL(h.apps[0]!.url!).port);
  });
  afterAll(async () => {
    await h.close();
    rmSync(base, { recursive: true, force: true });
  });

  it.each([
    '/s/to-secret.txt', '/s/to-outside/secret.txt', '/s/to-outside/dir/deep.txt', '/s/to-outside/', '/s/to-outside',
    '/s/sub/to-etc/passwd', '/s/sub/to-etc/hostname', '/s/sub/deep-secret.txt', '/s/sub/up/to-secret.txt', '/s/loop',
    '/s/hidden.txt', '/s/dangling', '/s/sub/up/.env', '/s/%74o-secret.txt', '/s/to-outside%2fsecret.txt',
    '/spa/to-secret.txt', '/spa/to-outside/secret.txt', '/spa/to-outside', '/spa/sub/to-etc/passwd', '/l/to-secret.txt',
  ])('never serves a file whose real path is outside the root: %s (raw socket)', async (target) => {
    const res = await rawGet(port, target);
    expect(res.text).not.toContain('SYMLINK-OUTSIDE-SECRET');
    expect(res.text).not.toContain('SYMLINK-DOTFILE-SECRET');
    expect(res.text).not.toMatch(/root:x:0:0/);
    if (!target.startsWith('/spa/')) {
      expect(res.status).toBe(404);
      expect(JSON.parse(res.text).code).toBe('NOT_FOUND');
    }
  });

  it('SPA fallback still answers extension-less links out of the root with index.html, never the outside file', async () => {
    const res = await rawGet(port, '/spa/to-outside');
    expect(res.status).toBe(200);
    expect(res.text).toBe('ROOT-INDEX');
  });

  it('serves links that stay inside the root (file, folder, through a subfolder, a linked mount folder)', async () => {
    expect((await rawGet(port, '/s/alias.txt')).text).toBe('INNER-FILE');
    expect((await rawGet(port, '/s/linked/inner.txt')).text).toBe('INNER-FILE');
    expect((await rawGet(port, '/s/sub/up/real/inner.txt')).text).toBe('INNER-FILE');
    expect((await rawGet(port, '/l/real/inner.txt')).text).toBe('INNER-FILE');
    expect((await rawGet(port, '/l/')).text).toBe('ROOT-INDEX');
    expect((await rawGet(port, '/spa/linked/inner.txt')).text).toBe('INNER-FILE');
  });

  it('realInside names the real file relative to the real root, or nothing', () => {
    expect(realInside(root, '/alias.txt')).toMatchObject({ file: '/real/inner.txt' });
    expect(realInside(join(base, 'rootlink'), '/linked/inner.txt')).toMatchObject({ root, file: '/real/inner.txt' });
    expect(realInside(root, '/to-secret.txt')).toBeUndefined();
    expect(realInside(root, '/to-outside')).toBeUndefined();
    expect(realInside(root, '/hidden.txt')).toBeUndefined();
    expect(realInside(root, '/loop')).toBeUndefined();
    expect(realInside(join(base, 'missing'), '/x')).toBeUndefined();
  });
});

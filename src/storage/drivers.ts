import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';

/** What a storage driver does with checked keys. */
export interface StorageDriver {
  put(key: string, data: Buffer): Promise<void>;
  get(key: string): Promise<Buffer | undefined>;
  stream(key: string): Promise<Readable | undefined>;
  delete(key: string): Promise<boolean>;
  size(key: string): Promise<number | undefined>;
}

/** Files under `root`; writes go to a temporary file renamed into place (readers never see half a file). */
export class LocalDriver implements StorageDriver {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  // Second line of defence after checkKey: the resolved path must stay under root.
  private path(key: string): string {
    const p = resolve(join(this.root, key));
    if (!p.startsWith(this.root + sep)) throw new Error('storage key escapes the root');
    return p;
  }

  async put(key: string, data: Buffer): Promise<void> {
    const p = this.path(key);
    await mkdir(dirname(p), { recursive: true });
    const tmp = `${p}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(tmp, data);
    await rename(tmp, p);
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.path(key));
    } catch (err) {
      if (missing(err)) return undefined;
      throw err;
    }
  }

  async stream(key: string): Promise<Readable | undefined> {
    return (await this.size(key)) === undefined ? undefined : createReadStream(this.path(key));
  }

  async delete(key: string): Promise<boolean> {
    const had = (await this.size(key)) !== undefined;
    await rm(this.path(key), { force: true });
    return had;
  }

  async size(key: string): Promise<number | undefined> {
    try {
      const s = await stat(this.path(key));
      return s.isFile() ? s.size : undefined;
    } catch (err) {
      if (missing(err)) return undefined;
      throw err;
    }
  }
}

function missing(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}

/** Objects in a Map (tests, ephemeral data). */
export class MemoryDriver implements StorageDriver {
  private readonly objects = new Map<string, Buffer>();

  async put(key: string, data: Buffer): Promise<void> {
    this.objects.set(key, Buffer.from(data));
  }

  async get(key: string): Promise<Buffer | undefined> {
    const b = this.objects.get(key);
    return b === undefined ? undefined : Buffer.from(b);
  }

  async stream(key: string): Promise<Readable | undefined> {
    const b = this.objects.get(key);
    return b === undefined ? undefined : Readable.from([b]);
  }

  async delete(key: string): Promise<boolean> {
    return this.objects.delete(key);
  }

  async size(key: string): Promise<number | undefined> {
    return this.objects.get(key)?.length;
  }
}

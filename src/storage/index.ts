import { extname } from 'node:path';
import type { Readable } from 'node:stream';
import { HttpError } from '../errors/http-error';
import { Response } from '../http/response/response';
import { HTTP_CONTRIBUTION, type HttpContribution, type ServiceFactoryContext } from '../metadata/types';
import { serviceConfig } from '../services/internal/config-reader';
import { LocalDriver, MemoryDriver, type StorageDriver } from './drivers';
import { checkKey, sign, verify } from './keys';

/** Config keys of `lokstra.storage` (kept equal to the schema's by a test). */
export const STORAGE_CONFIG_KEYS = ['driver', 'root', 'secret', 'url_prefix', 'url_expiry', 'apps'] as const;

const TYPES: Record<string, string> = {
  '.json': 'application/json', '.txt': 'text/plain; charset=utf-8', '.csv': 'text/csv; charset=utf-8', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.pdf': 'application/pdf',
  '.html': 'text/html; charset=utf-8', '.svg': 'image/svg+xml',
};
// Active content is downloaded, never rendered on the app's origin.
const ATTACHMENT = new Set(['.html', '.svg']);

/** Options of a {@link Storage}. */
export interface StorageOptions {
  name: string;
  driver: StorageDriver;
  /** HMAC secret of signed URLs (none: `signedUrl` throws). */
  secret: string | undefined;
  /** Path prefix of the download route. */
  urlPrefix: string;
  /** Default lifetime of a signed URL, in ms. */
  urlExpiry: number;
  apps: string[] | undefined;
}

interface DownloadCtx {
  params: Record<string, string | undefined>;
  query: Record<string, unknown>;
  reply: { header(k: string, v: string): unknown; code(n: number): unknown; send(b: unknown): unknown };
}

/**
 * `lokstra.storage`: files by key on the local disk or in memory, with signed, expiring download
 * URLs served by a Lokstra route (`GET <url_prefix>/<key>?exp=…&sig=…`).
 * @example
 * await storage.put('avatars/42.png', buffer);
 * const url = storage.signedUrl('avatars/42.png', { expiresIn: 60_000 }); // → /_storage/files/avatars/42.png?exp=…&sig=…
 */
export class Storage {
  readonly name: string;
  private readonly options: StorageOptions;

  constructor(options: StorageOptions) {
    this.options = options;
    this.name = options.name;
  }

  /** Stores `data` under `key` (replacing it). Bad keys → `HttpError` 400. */
  async put(key: string, data: Buffer | string | Uint8Array): Promise<void> {
    await this.options.driver.put(checkKey(key), Buffer.isBuffer(data) ? data : Buffer.from(data));
  }

  /** The object's bytes, or `undefined`. */
  async get(key: string): Promise<Buffer | undefined> {
    return this.options.driver.get(checkKey(key));
  }

  /** A stream of the object; missing → `HttpError` 404. */
  async stream(key: string): Promise<Readable> {
    const s = await this.options.driver.stream(checkKey(key));
    if (s === undefined) throw HttpError.notFound('File not found');
    return s;
  }

  /** Deletes the object; resolves with whether it existed. */
  async delete(key: string): Promise<boolean> {
    return this.options.driver.delete(checkKey(key));
  }

  async exists(key: string): Promise<boolean> {
    return (await this.options.driver.size(checkKey(key))) !== undefined;
  }

  /** A URL (path and query) that downloads `key` until it expires (default `url_expiry`). */
  signedUrl(key: string, options: { expiresIn?: number } = {}): string {
    checkKey(key);
    const secret = this.options.secret;
    if (secret === undefined) throw new Error(`storage ${this.name}: signed URLs need config.secret`);
    const exp = Math.floor((Date.now() + (options.expiresIn ?? this.options.urlExpiry)) / 1000);
    const path = key.split('/').map(encodeURIComponent).join('/');
    return `${this.options.urlPrefix}/${path}?exp=${exp}&sig=${sign(secret, key, exp)}`;
  }

  private async download(ctx: DownloadCtx): Promise<unknown> {
    const key = ctx.params['*'] ?? '';
    const { exp, sig } = ctx.query;
    const secret = this.options.secret;
    // One answer for a bad, expired or forged link: nothing tells a prober which.
    if (secret === undefined || typeof sig !== 'string' || typeof exp !== 'string' || !verify(secret, checkKey(key), Number(exp), sig)) {
      throw new HttpError(403, 'Invalid or expired link');
    }
    const stream = await this.stream(key);
    const ext = extname(key).toLowerCase();
    ctx.reply.header('content-type', TYPES[ext] ?? 'application/octet-stream');
    ctx.reply.header('x-content-type-options', 'nosniff');
    ctx.reply.header('cache-control', 'private, no-store');
    if (ATTACHMENT.has(ext)) ctx.reply.header('content-disposition', 'attachment');
    ctx.reply.send(stream);
    return Response.handled();
  }

  [HTTP_CONTRIBUTION](): HttpContribution {
    const handler = `lokstra.storage.${this.name}.download`;
    return {
      handlers: { [handler]: (ctx: DownloadCtx) => this.download(ctx) },
      routes: [{ method: 'GET', path: `${this.options.urlPrefix}/*`, handler, ...(this.options.apps === undefined ? {} : { apps: this.options.apps }) }],
    };
  }
}

/** The `lokstra.storage` factory: `driver: local` (with `root`) or `memory`. */
export function storageFactory(config: Record<string, unknown>, ctx: ServiceFactoryContext): Storage {
  const c = serviceConfig(ctx.name, config, STORAGE_CONFIG_KEYS);
  const driverName = c.string('driver', 'local');
  let driver: StorageDriver;
  if (driverName === 'memory') driver = new MemoryDriver();
  else if (driverName === 'local') driver = new LocalDriver(c.string('root') ?? c.fail('root', 'required with driver: local'));
  else return c.fail('driver', `expected local or memory, got ${JSON.stringify(driverName)}`);
  const secret = c.string('secret');
  if (secret !== undefined && secret.length < 32) c.fail('secret', 'must be at least 32 characters');
  const urlPrefix = c.string('url_prefix', `/_storage/${ctx.name}`).replace(/\/+$/, '');
  if (!/^\/[A-Za-z0-9_./-]*$/.test(urlPrefix)) c.fail('url_prefix', 'expected a path like /files');
  return new Storage({ name: ctx.name, driver, secret, urlPrefix, urlExpiry: c.duration('url_expiry', 15 * 60_000), apps: c.stringList('apps') });
}

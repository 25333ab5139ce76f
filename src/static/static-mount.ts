import { extname, isAbsolute, join, posix, resolve } from 'node:path';
import { HttpError } from '../errors/http-error';
import type { Context } from '../http/context';
import { Response } from '../http/response/response';
import type { Router } from '../http/routing/router';
import { realInside } from './real-path';

/** Options of a static mount (YAML `mount_static` / `mount_spa`). */
export interface StaticMountOptions {
  prefix: string;
  /** Folders tried in order. */
  folders: string[];
  /** Unknown extension-less paths fall back to `index.html` (single-page apps). */
  spa?: boolean;
  /** Directory index file. Default `index.html`. */
  index?: string;
}

type SendFile = (file: string, root: string) => unknown;

/**
 * Resolves a request path inside a root, or `undefined` when it could escape it: NUL, backslashes
 * and `..` segments (raw or decoded) never leave the root; dot-files are not served.
 */
export function safeRelative(raw: string): string | undefined {
  if (raw.includes('\0') || raw.includes('\\')) return undefined;
  const normalized = posix.normalize(`/${raw}`);
  const parts = normalized.split('/');
  if (parts.includes('..') || parts.some((p) => p.startsWith('.') && p.length > 0)) return undefined;
  return normalized;
}

/**
 * Finds the file a relative path names in the first folder that has it (directories → index).
 * Symlinks are followed, but the real path must stay inside the folder's real path (see
 * {@link realInside}); the file is named by that real path, so what is sent is what was checked.
 */
export function findFile(roots: readonly string[], rel: string, index: string): { root: string; file: string } | undefined {
  for (const root of roots) {
    const found = realInside(root, rel);
    if (found === undefined) continue;
    if (found.stat.isFile()) return { root: found.root, file: found.file };
    if (!found.stat.isDirectory()) continue;
    const inner = realInside(root, posix.join(rel, index));
    if (inner?.stat.isFile()) return { root: inner.root, file: inner.file };
  }
  return undefined;
}

/**
 * Mounts folders under a prefix as `GET <prefix>` and `GET <prefix>/*` routes of a router, so app
 * and group middleware (an auth guard…) run in front of the files. Files are sent with
 * @fastify/static (`ETag`, `Last-Modified`, `Range`, 304); missing files are a 404 envelope.
 */
export function mountStatic(router: Router, options: StaticMountOptions, cwd = process.cwd()): void {
  const roots = options.folders.map((f) => resolve(isAbsolute(f) ? f : join(cwd, f)));
  const index = options.index ?? 'index.html';
  const handler = (ctx: Context): Response => {
    const rel = safeRelative(ctx.params['*'] ?? '');
    const sendFile = (ctx.reply as unknown as { sendFile: SendFile }).sendFile.bind(ctx.reply);
    const found = rel === undefined ? undefined : findFile(roots, rel, index);
    if (found) {
      sendFile(found.file, found.root);
      return Response.handled();
    }
    if (options.spa && rel !== undefined && extname(rel) === '') {
      const fallback = findFile(roots, `/${index}`, index);
      if (fallback) {
        sendFile(fallback.file, fallback.root);
        return Response.handled();
      }
    }
    throw HttpError.notFound();
  };
  const base = options.prefix === '/' ? '' : options.prefix.replace(/\/+$/, '');
  router.get(base || '/', handler);
  router.get(`${base}/*`, handler);
}

import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { LokstraHandle } from '../../lokstra';
import { buildOpenApiDocument } from '../../openapi/index';
import { loadEntry } from '../entry/load-entry';
import { findProject, resolveEntry } from '../entry/project';
import { CliUsageError, flag, parseArgs, type CliCommand, type CliContext, type ParsedArgs } from '../io';

const USAGE = 'usage: lokstra openapi [entry] [--app <name>] [-o <file>]';

/** `-o file` is `--out file`. */
export function withShortOut(args: string[]): string[] {
  return args.map((a) => (a === '-o' ? '--out' : a.startsWith('-o=') ? `--out=${a.slice(3)}` : a));
}

/**
 * The OpenAPI document of one app of a built deployment: exactly what the app serves at its
 * `openapi.path` when it has one (and the route answers without credentials), else generated from the
 * app's routes with the defaults. Without `app`: the first app serving a document, else the first app.
 */
export async function appDocument(handle: LokstraHandle, app?: string): Promise<{ app: string; document: unknown }> {
  if (app !== undefined) handle.app(app); // unknown app: coded error listing the apps
  const isDoc = (r: LokstraHandle['routes'][number]): boolean => r.source === `app ${r.app} openapi document`;
  const name = app ?? handle.routes.find(isDoc)?.app ?? handle.apps[0]?.name;
  if (name === undefined) throw new CliUsageError('the deployment has no apps');
  const route = handle.routes.find((r) => r.app === name && isDoc(r));
  if (route !== undefined) {
    const res = await handle.app(name).inject({ method: 'GET', url: route.url });
    if (res.statusCode === 200) return { app: name, document: JSON.parse(res.body) as unknown };
  }
  return { app: name, document: buildOpenApiDocument(handle.routes.filter((r) => r.app === name), { app: name }) };
}

/** Builds the entry's deployment (no listener), runs `use` on it, closes it. */
export async function withEntry<T>(ctx: CliContext, args: ParsedArgs, use: (handle: LokstraHandle) => Promise<T>): Promise<T> {
  const project = findProject(ctx.cwd);
  const entry = resolveEntry(project, ctx.cwd, args.positional[0]);
  ctx.progress(`building ${entry} (no listener)…`);
  const handle = await loadEntry(entry, project);
  try {
    return await use(handle);
  } finally {
    await handle.close();
  }
}

/** `lokstra openapi`: the OpenAPI 3.1 document of an app, to stdout or `-o file`. */
export const openapiCommand: CliCommand = {
  async run(ctx) {
    const args = parseArgs(withShortOut(ctx.args), { valued: ['app', 'out'], usage: USAGE });
    if (args.positional.length > 1) throw new CliUsageError(USAGE);
    const { app, document } = await withEntry(ctx, args, (h) => appDocument(h, flag(args, 'app')));
    const text = `${JSON.stringify(document, null, 2)}\n`;
    const out = flag(args, 'out');
    if (out === undefined) ctx.out(text.trimEnd());
    else {
      writeFileSync(resolve(ctx.cwd, out), text);
      ctx.err(`wrote the OpenAPI document of app ${app} to ${out}`);
    }
    return 0;
  },
};

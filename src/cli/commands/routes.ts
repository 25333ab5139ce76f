import type { CompiledRoute } from '../../http/routing/compile';
import { loadEntry } from '../entry/load-entry';
import { findProject, resolveEntry } from '../entry/project';
import { CliUsageError, flag, parseArgs, type CliCommand } from '../io';

const USAGE = 'usage: lokstra routes [entry] [--app <name>] [--json]';

/** One row of `lokstra routes`. */
export interface RouteRow {
  app: string;
  method: string;
  path: string;
  handler: string;
  middleware: string[];
}

/** The table rows of a compiled route list, in boot order. */
export function routeRows(routes: readonly CompiledRoute[]): RouteRow[] {
  return routes.map((r) => ({ app: r.app, method: r.method, path: r.url, handler: r.handlerName, middleware: [...r.middleware] }));
}

/** Aligned text table (one header line). */
export function formatTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

/** `lokstra routes`: the compiled route table of the entry's deployment, built without listening. */
export const routesCommand: CliCommand = {
  async run(ctx) {
    const args = parseArgs(ctx.args, { valued: ['app'], booleans: ['json'], usage: USAGE });
    if (args.positional.length > 1) throw new CliUsageError(USAGE);
    const project = findProject(ctx.cwd);
    const entry = resolveEntry(project, ctx.cwd, args.positional[0]);
    ctx.progress(`building ${entry} (no listener)…`);
    const handle = await loadEntry(entry, project);
    try {
      const only = flag(args, 'app');
      if (only !== undefined) handle.app(only); // unknown app: coded error listing the apps
      const rows = routeRows(handle.routes).filter((r) => only === undefined || r.app === only);
      if (args.flags.has('json')) {
        ctx.out(JSON.stringify(rows, null, 2));
      } else {
        const table = rows.map((r) => [r.app, r.method, r.path, r.handler, r.middleware.join(', ') || '-']);
        for (const line of formatTable(['APP', 'METHOD', 'PATH', 'HANDLER', 'MIDDLEWARE'], table)) ctx.out(line);
      }
    } finally {
      await handle.close();
    }
    return 0;
  },
};

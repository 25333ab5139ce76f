import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../config/load';
import { resolveSettings } from '../../config/settings';
import { loadEntry } from '../entry/load-entry';
import { findProject, resolveEntry } from '../entry/project';
import { CliUsageError, flag, parseArgs, type CliCommand } from '../io';

const USAGE = 'usage: lokstra check [config-file-or-directory] [--entry <file>] [--no-entry]';

/**
 * `lokstra check`: validates the config; then, when the project has an entry (`--entry`, package.json
 * `lokstra.entry` or `src/main.ts`), builds it without listening so unknown handler, controller and
 * service names are reported as they would be at boot.
 */
export const checkCommand: CliCommand = {
  async run(ctx) {
    const args = parseArgs(ctx.args, { valued: ['entry'], booleans: ['no-entry'], usage: USAGE });
    if (args.positional.length > 1) throw new CliUsageError(USAGE);
    const { config, source, warnings } = await loadConfig(args.positional[0], { cwd: ctx.cwd, env: ctx.env });
    resolveSettings(config.server?.global_setting);
    for (const w of warnings) ctx.err(`warning: ${w}`);
    const apps = (config.apps ?? []).map((a) => `${a.name}@${String(a.address ?? ':8080')}`);
    ctx.out(`ok: ${source ?? 'config'} — ${apps.length} app(s)${apps.length ? ` (${apps.join(', ')})` : ''}, ${(config.services ?? []).length} service(s)`);
    const given = flag(args, 'entry');
    if (args.flags.has('no-entry') || (given === undefined && !hasDefaultEntry(ctx.cwd))) return 0;
    const project = findProject(ctx.cwd);
    const entry = resolveEntry(project, ctx.cwd, given);
    ctx.progress(`building ${entry} (no listener)…`);
    const handle = await loadEntry(entry, project);
    try {
      const controllers = handle.registry.controllers.size;
      ctx.out(`ok: entry builds — ${handle.routes.length} route(s), ${controllers} controller(s), ${handle.container.created.length} service(s) created`);
    } finally {
      await handle.close();
    }
    return 0;
  },
};

function hasDefaultEntry(cwd: string): boolean {
  try {
    const project = findProject(cwd);
    return project.pkg.lokstra?.entry !== undefined || existsSync(join(project.root, 'src', 'main.ts'));
  } catch {
    return false;
  }
}

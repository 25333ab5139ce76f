#!/usr/bin/env node
import { loadConfig } from '../config/load';
import { resolveSettings } from '../config/settings';
import { LokstraError } from '../errors/lokstra-error';

const USAGE = 'usage: lokstra check [config-file-or-directory]';

/** What one CLI run printed and its exit code (the CLI is a function so tests can call it). */
export interface CliResult {
  code: number;
  stdout: string[];
  stderr: string[];
}

/** `lokstra check [config]`: loads and validates a config without starting anything. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<CliResult> {
  const out: CliResult = { code: 0, stdout: [], stderr: [] };
  const [command, target, ...rest] = argv;
  if (command !== 'check' || rest.length > 0) {
    out.stderr.push(USAGE);
    out.code = 2;
    return out;
  }
  try {
    const { config, source, warnings } = await loadConfig(target, { cwd, env });
    resolveSettings(config.server?.global_setting);
    for (const w of warnings) out.stderr.push(`warning: ${w}`);
    const apps = (config.apps ?? []).map((a) => `${a.name}@${String(a.address ?? ':8080')}`);
    out.stdout.push(`ok: ${source ?? 'config'} — ${apps.length} app(s)${apps.length ? ` (${apps.join(', ')})` : ''}, ${(config.services ?? []).length} service(s)`);
  } catch (err) {
    out.code = 1;
    const code = LokstraError.is(err) ? err.code : 'error';
    out.stderr.push(`${code}: ${(err as Error).message}`);
    if (env.LOKSTRA_DEBUG) out.stderr.push(String((err as Error).stack));
  }
  return out;
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then((r) => {
    for (const line of r.stdout) console.log(line);
    for (const line of r.stderr) console.error(line);
    process.exit(r.code);
  }, (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}

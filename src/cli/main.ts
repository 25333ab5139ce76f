#!/usr/bin/env node
import { LokstraError } from '../errors/lokstra-error';
import { CliUsageError, createContext, type CliCommand, type CliResult } from './io';

export type { CliResult } from './io';

/* eslint-disable @typescript-eslint/no-require-imports -- commands load on use (see CommandEntry.load) */
interface CommandEntry {
  name: string;
  usage: string;
  summary: string;
  /** Loaded on use: `lokstra new` runs from an unpacked tarball with no dependencies installed. */
  load(): CliCommand;
}

const COMMANDS: readonly CommandEntry[] = [
  { name: 'new', usage: 'new <dir> [--template api|htmx|multi-app|minimal] [--module esm|cjs]', summary: 'create a project that serves and tests as generated', load: () => (require('./commands/new') as typeof import('./commands/new')).newCommand },
  { name: 'dev', usage: 'dev [entry]', summary: 'run the app, recompile and restart on .ts and YAML changes', load: () => (require('./commands/dev') as typeof import('./commands/dev')).devCommand },
  { name: 'routes', usage: 'routes [entry] [--app <name>] [--json]', summary: 'list every route (app, method, path, handler, middleware) without listening', load: () => (require('./commands/routes') as typeof import('./commands/routes')).routesCommand },
  { name: 'config', usage: 'config print [config] [--json]', summary: 'print the merged, interpolated config with secrets redacted', load: () => (require('./commands/config') as typeof import('./commands/config')).configCommand },
  { name: 'check', usage: 'check [config] [--entry <file>]', summary: 'validate the config; with the entry, its handler/controller/service names', load: () => (require('./commands/check') as typeof import('./commands/check')).checkCommand },
  { name: 'generate', usage: 'generate controller|service|module|dto|gateway <name>', summary: 'add a file with its registration and a test', load: () => (require('./commands/generate') as typeof import('./commands/generate')).generateCommand },
  { name: 'openapi', usage: 'openapi [entry] [--app <name>] [-o <file>]', summary: 'write the OpenAPI 3.1 document of an app', load: () => (require('./commands/openapi') as typeof import('./commands/openapi')).openapiCommand },
  { name: 'client', usage: 'client [entry] [--app <name>] -o <file.ts>', summary: 'write TypeScript types of an app\'s API for openapi-fetch', load: () => (require('./commands/client') as typeof import('./commands/client')).clientCommand },
  { name: 'migrate', usage: 'migrate up|down|status|create [name] [--service <name>]', summary: 'apply, revert, list or create the SQL migrations of a pool', load: () => (require('./commands/migrate') as typeof import('./commands/migrate')).migrateCommand },
];
/* eslint-enable @typescript-eslint/no-require-imports */

function helpText(): string[] {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  return ['usage: lokstra <command> [options]', '', ...COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`), '', 'docs: node_modules/lokstra/docs/cli.md'];
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Print lines as they come (the binary does); tests read them from the result. */
  live?: boolean;
}

/**
 * Runs one `lokstra` command: `new`, `dev`, `routes`, `config print`, `check`, `generate`.
 * Usage mistakes exit 2 with one line, failures exit 1 with `CODE: message`.
 * @example const r = await runCli(['check', 'lokstra.config.yaml']); // r.code, r.stdout, r.stderr
 */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd(), options: RunCliOptions = {}): Promise<CliResult> {
  const result: CliResult = { code: 0, stdout: [], stderr: [] };
  const { ctx, clear } = createContext(result, { args: argv.slice(1), env, cwd, live: options.live === true });
  const [name] = argv;
  try {
    if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
      for (const line of helpText()) (name === undefined ? ctx.err : ctx.out)(line);
      result.code = name === undefined ? 2 : 0;
      return result;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (command === undefined) throw new CliUsageError(`unknown command '${name}'; commands: ${COMMANDS.map((c) => c.name).join(', ')} (lokstra help)`);
    result.code = await command.load().run(ctx);
  } catch (err) {
    if (err instanceof CliUsageError) {
      ctx.err(err.message);
      result.code = 2;
    } else {
      ctx.err(`${LokstraError.is(err) ? err.code : 'error'}: ${(err as Error).message}`);
      if (env.LOKSTRA_DEBUG) ctx.err(String((err as Error).stack));
      result.code = 1;
    }
  } finally {
    clear();
  }
  return result;
}

if (require.main === module) {
  runCli(process.argv.slice(2), process.env, process.cwd(), { live: true }).then((r) => {
    process.exit(r.code);
  }, (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}

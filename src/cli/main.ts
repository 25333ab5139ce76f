#!/usr/bin/env node
import { LokstraError } from '../errors/lokstra-error';
import { checkCommand } from './commands/check';
import { configCommand } from './commands/config';
import { devCommand } from './commands/dev';
import { generateCommand } from './commands/generate';
import { newCommand } from './commands/new';
import { routesCommand } from './commands/routes';
import { CliUsageError, type CliCommand, type CliContext, type CliResult } from './io';

export type { CliResult } from './io';

const COMMANDS: readonly CliCommand[] = [newCommand, devCommand, routesCommand, configCommand, checkCommand, generateCommand];

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
  const live = options.live === true;
  const tty = live && process.stderr.isTTY === true;
  let pending = false;
  const clear = (): void => {
    if (pending) process.stderr.write('\r\x1b[K');
    pending = false;
  };
  const ctx: CliContext = {
    args: argv.slice(1), env, cwd,
    out: (line) => { result.stdout.push(line); if (live) { clear(); process.stdout.write(`${line}\n`); } },
    err: (line) => { result.stderr.push(line); if (live) { clear(); process.stderr.write(`${line}\n`); } },
    progress: (line) => {
      if (!live) return;
      if (tty) { clear(); process.stderr.write(line.slice(0, (process.stderr.columns ?? 80) - 1)); pending = true; } else process.stderr.write(`${line}\n`);
    },
  };
  const [name] = argv;
  try {
    if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
      for (const line of helpText()) ctx.out(line);
      result.code = name === undefined ? 2 : 0;
      return result;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (command === undefined) throw new CliUsageError(`unknown command '${name}'; commands: ${COMMANDS.map((c) => c.name).join(', ')} (lokstra help)`);
    result.code = await command.run(ctx);
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

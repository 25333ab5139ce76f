/** What one CLI run printed and its exit code (the CLI is a function so tests can call it). */
export interface CliResult {
  code: number;
  stdout: string[];
  stderr: string[];
}

/** What a command gets: its arguments, environment, folder and two line printers. */
export interface CliContext {
  readonly args: string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  out(line: string): void;
  err(line: string): void;
  /** Transient progress (a spinner line on a terminal, one line each otherwise). */
  progress(line: string): void;
}

/** One `lokstra <name>` command (its usage line and summary are in the dispatcher's table). */
export interface CliCommand {
  /** Returns the exit code. */
  run(ctx: CliContext): Promise<number>;
}

/** A usage mistake (unknown command, flag, template; missing project): one line on stderr, exit 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

/** Parsed `positional --flag value --bool` arguments. */
export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/**
 * Parses arguments against the flags a command knows: `valued` take a value (`--x v` or `--x=v`),
 * `booleans` do not. Any other `--flag` is a usage error naming the command's usage line.
 */
export function parseArgs(args: string[], spec: { valued?: string[]; booleans?: string[]; usage: string }): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (spec.booleans?.includes(name) && eq === -1) {
      flags.set(name, true);
    } else if (spec.valued?.includes(name)) {
      const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
      if (value === undefined || value === '') throw new CliUsageError(`--${name} needs a value; ${spec.usage}`);
      flags.set(name, value);
    } else {
      throw new CliUsageError(`unknown option --${name}; ${spec.usage}`);
    }
  }
  return { positional, flags };
}

/** The string value of a flag, or `fallback`. */
export function flag(parsed: ParsedArgs, name: string, fallback?: string): string | undefined {
  const v = parsed.flags.get(name);
  return typeof v === 'string' ? v : fallback;
}

/**
 * The context of one run: lines go into `result` and, when `live`, to stdout/stderr as they come.
 * Progress is one rewritten line on a terminal; in a log, a new step at once and the same step at
 * most every 5 s. `clear()` removes a pending progress line.
 */
export function createContext(result: CliResult, o: { args: string[]; env: NodeJS.ProcessEnv; cwd: string; live: boolean }): { ctx: CliContext; clear(): void } {
  const tty = o.live && process.stderr.isTTY === true;
  let pending = false;
  const last = { step: '', at: 0 };
  const clear = (): void => {
    if (pending) process.stderr.write('\r\x1b[K');
    pending = false;
  };
  const print = (stream: NodeJS.WriteStream, lines: string[], line: string): void => {
    lines.push(line);
    if (!o.live) return;
    clear();
    stream.write(`${line}\n`);
  };
  const progress = (line: string): void => {
    if (!o.live) return;
    if (tty) {
      clear();
      process.stderr.write(line.slice(0, (process.stderr.columns ?? 80) - 1));
      pending = true;
      return;
    }
    const step = line.split('…')[0] as string;
    if (step === last.step && Date.now() - last.at < 5000) return;
    process.stderr.write(`${line}\n`);
    last.step = step;
    last.at = Date.now();
  };
  const ctx: CliContext = {
    args: o.args, env: o.env, cwd: o.cwd, progress,
    out: (line) => print(process.stdout, result.stdout, line),
    err: (line) => print(process.stderr, result.stderr, line),
  };
  return { ctx, clear };
}

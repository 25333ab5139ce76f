import { stringify } from 'yaml';
import { loadConfig } from '../../config/load';
import { REDACTED_TEXT, redactSecretsInText } from '../../internal/redact-text';
import { isSecretKey } from '../../internal/secrets';
import { CliUsageError, parseArgs, type CliCommand } from '../io';

const USAGE = 'usage: lokstra config print [config-file-or-directory] [--json]';

/** A copy of a config value with secret-named keys replaced and secrets inside strings (DSN passwords, tokens) redacted. */
export function redactConfig(value: unknown, key = ''): unknown {
  if (key !== '' && isSecretKey(key) && value !== null && typeof value !== 'object') return REDACTED_TEXT;
  if (typeof value === 'string') return redactSecretsInText(value);
  if (Array.isArray(value)) return value.map((v) => redactConfig(v));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactConfig(v, k)]));
  }
  return value;
}

/** `lokstra config print`: the config as Lokstra uses it — profiles merged, includes loaded, `${…}` interpolated — with secrets redacted. */
export const configCommand: CliCommand = {
  async run(ctx) {
    const [sub, ...rest] = ctx.args;
    if (sub !== 'print') throw new CliUsageError(sub === undefined ? USAGE : `unknown config command '${sub}'; ${USAGE}`);
    const args = parseArgs(rest, { booleans: ['json'], usage: USAGE });
    if (args.positional.length > 1) throw new CliUsageError(USAGE);
    const { config, source } = await loadConfig(args.positional[0], { cwd: ctx.cwd, env: ctx.env });
    const redacted = redactConfig(config);
    if (args.flags.has('json')) {
      ctx.out(JSON.stringify(redacted, null, 2));
    } else {
      ctx.out(`# ${source ?? 'config'} (merged, interpolated; secrets redacted)`);
      for (const line of stringify(redacted, { lineWidth: 0 }).trimEnd().split('\n')) ctx.out(line);
    }
    return 0;
  },
};

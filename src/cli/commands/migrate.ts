import { isAbsolute, join } from 'node:path';
import { loadConfig } from '../../config/load';
import type { LokstraConfig, ServiceConfig } from '../../config/types';
import { createMigration } from '../../db/migrate/files';
import { Migrator } from '../../db/migrate/migrator';
import { Lokstra } from '../../lokstra';
import type { AnyDbPool } from '../../services/dbpool-pg/types';
import { createLogger } from '../../services/logger';
import { CliUsageError, flag, parseArgs, type CliCommand, type CliContext } from '../io';

const USAGE = 'usage: lokstra migrate up|down|status|create [name] [--service <name>] [--config <file>] [--dir <folder>] [--step <n>] [--lock-timeout <ms>]';
const POOL_TYPES = new Set(['lokstra.dbpool_pg', 'lokstra.dbpool_mysql', 'lokstra.dbpool_sqlite', 'dbpool_pg', 'dbpool_mysql', 'dbpool_sqlite']);

interface Target {
  config: LokstraConfig | undefined;
  service: string;
  dir: string;
}

async function target(ctx: CliContext, configPath: string | undefined, service: string | undefined, dir: string | undefined, needConfig: boolean): Promise<Target> {
  let config: LokstraConfig | undefined;
  try {
    config = (await loadConfig(configPath, { cwd: ctx.cwd, env: ctx.env })).config;
  } catch (err) {
    if (needConfig || service === undefined) throw err;
  }
  const pools = (config?.services ?? []).filter((s) => POOL_TYPES.has(s.type));
  let name = service;
  if (name === undefined) {
    if (pools.length !== 1) {
      throw new CliUsageError(pools.length === 0 ? `no database pool service in the config; ${USAGE}` : `several pools (${pools.map((p) => p.name).join(', ')}): choose one with --service`);
    }
    name = (pools[0] as ServiceConfig).name;
  } else if (config !== undefined && needConfig && !pools.some((p) => p.name === name)) {
    throw new CliUsageError(`no database pool service named '${name}'; pools: ${pools.map((p) => p.name).join(', ') || 'none'}`);
  }
  const folder = dir === undefined ? join(ctx.cwd, 'migrations', name) : (isAbsolute(dir) ? dir : join(ctx.cwd, dir));
  return { config, service: name, dir: folder };
}

// The pool service and what it depends on, started without any app.
async function withPool<T>(t: Target, fn: (pool: AnyDbPool) => Promise<T>): Promise<T> {
  const services = t.config?.services ?? [];
  const wanted = new Set<string>();
  const add = (name: string): void => {
    if (wanted.has(name)) return;
    wanted.add(name);
    for (const d of services.find((s) => s.name === name)?.depends_on ?? []) add(d);
  };
  add(t.service);
  const config = { ...t.config, apps: [], services: services.filter((s) => wanted.has(s.name)) } as LokstraConfig;
  const handle = await Lokstra.build(config, { logger: createLogger({ level: 'error' }) });
  try {
    return await fn(handle.getService<AnyDbPool>(t.service));
  } finally {
    await handle.close();
  }
}

/** `lokstra migrate`: applies, reverts, lists or creates the SQL migrations of a pool (`migrations/<service>/`). */
export const migrateCommand: CliCommand = {
  async run(ctx) {
    const [sub, ...rest] = ctx.args;
    if (sub === undefined || !['up', 'down', 'status', 'create'].includes(sub)) throw new CliUsageError(sub === undefined ? USAGE : `unknown migrate command '${sub}'; ${USAGE}`);
    const args = parseArgs(rest, { valued: ['service', 'config', 'dir', 'step', 'lock-timeout'], usage: USAGE });
    const t = await target(ctx, flag(args, 'config'), flag(args, 'service'), flag(args, 'dir'), sub !== 'create');
    if (sub === 'create') {
      const name = args.positional.join('_');
      if (name === '') throw new CliUsageError(`migrate create needs a name; ${USAGE}`);
      const { up, down } = createMigration(t.dir, name);
      ctx.out(`created ${up}`);
      ctx.out(`created ${down}`);
      return 0;
    }
    if (args.positional.length > 0) throw new CliUsageError(USAGE);
    const step = Number(flag(args, 'step', '1'));
    const lockTimeout = Number(flag(args, 'lock-timeout', '60000'));
    if (!Number.isInteger(step) || step < 1) throw new CliUsageError(`--step must be a positive integer; ${USAGE}`);
    if (!Number.isInteger(lockTimeout) || lockTimeout < 0) throw new CliUsageError(`--lock-timeout must be a number of ms; ${USAGE}`);
    return withPool(t, async (pool) => {
      const migrator = new Migrator({ pool, service: t.service, dir: t.dir, lockTimeout });
      if (sub === 'status') {
        const rows = await migrator.status();
        if (rows.length === 0) ctx.out(`no migrations in ${t.dir}`);
        for (const r of rows) ctx.out(`${r.state.padEnd(8)} ${r.name}${r.appliedAt ? `  (${r.appliedAt})` : ''}`);
        return rows.some((r) => r.state === 'edited' || r.state === 'missing') ? 1 : 0;
      }
      const names = sub === 'up' ? await migrator.up() : await migrator.down(step);
      const verb = sub === 'up' ? 'applied' : 'reverted';
      if (names.length === 0) ctx.out(sub === 'up' ? `${t.service}: up to date` : `${t.service}: nothing to revert`);
      for (const n of names) ctx.out(`${verb} ${n}`);
      return 0;
    });
  },
};

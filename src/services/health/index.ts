import { HTTP_CONTRIBUTION, type HttpContribution, type ServiceFactoryContext } from '../../metadata/types';
import { serviceConfig, type ConfigReader } from '../internal/config-reader';
import { diskCheck, memoryCheck } from './builtin-checks';
import { HealthRunner, type CheckOverride, type HealthRunnerOptions, type HealthService } from './service';
import type { HealthCheck, HealthReport } from './types';

/** Config keys of `lokstra.health_check` and of its `mount` and `checks[]` entries (kept equal to the schema's by a test). */
export const HEALTH_CONFIG_KEYS = ['mount', 'timeout', 'checks'] as const;
export const HEALTH_MOUNT_KEYS = ['apps', 'prefix', 'middleware'] as const;
export const HEALTH_CHECK_KEYS = ['name', 'type', 'critical', 'enabled', 'timeout', 'path', 'min_free', 'max_heap_ratio', 'max_rss'] as const;

/** Names of the handlers the health service registers (route them by hand with `mount: { apps: [] }`). */
export const HEALTH_HANDLERS = { health: 'health', live: 'health.live', ready: 'health.ready', check: 'health.check' } as const;

const DEFAULT_TIMEOUT_MS = 2_000;

interface HealthCtx {
  params: Record<string, string>;
  ok(data: unknown): Reply;
  errorNotFound(message: string): Reply;
}
interface Reply {
  withStatus(status: number): Reply;
  withCode(code: string): Reply;
  withMessage(message: string): Reply;
  withHeader(name: string, value: string): Reply;
}

function answer(ctx: HealthCtx, ok: boolean, data: unknown, message: string): Reply {
  const res = ctx.ok(data).withHeader('cache-control', 'no-store');
  return ok ? res : res.withStatus(503).withCode('SERVICE_UNAVAILABLE').withMessage(message);
}

class HealthCheckService extends HealthRunner {
  private readonly mountApps: string[] | undefined;
  private readonly prefix: string;
  private readonly appMiddleware: boolean;

  constructor(options: HealthRunnerOptions, mount: { apps: string[] | undefined; prefix: string; middleware: boolean }) {
    super(options);
    this.mountApps = mount.apps;
    this.prefix = mount.prefix;
    this.appMiddleware = mount.middleware;
  }

  onStart(): void {
    this.collect();
  }

  [HTTP_CONTRIBUTION](): HttpContribution {
    const h = HEALTH_HANDLERS;
    const base = this.prefix === '/' ? '' : this.prefix;
    const apps = { ...(this.mountApps === undefined ? {} : { apps: this.mountApps }), ...(this.appMiddleware ? {} : { middleware: false as const }) };
    return {
      handlers: {
        [h.health]: async (ctx: HealthCtx) => {
          const report: HealthReport = await this.run();
          return answer(ctx, report.status !== 'unhealthy', report, 'unhealthy');
        },
        [h.live]: (ctx: HealthCtx) => answer(ctx, true, { status: 'alive' }, ''),
        [h.ready]: async (ctx: HealthCtx) => {
          const r = await this.readiness();
          const data = { status: r.ready ? 'ready' : 'not_ready', ...(r.reason ? { reason: r.reason } : {}), ...(r.report ? { checks: r.report.checks } : {}) };
          return answer(ctx, r.ready, data, `not ready (${r.reason ?? ''})`);
        },
        [h.check]: async (ctx: HealthCtx) => {
          const name = ctx.params.name ?? '';
          const report = await this.runOne(name);
          if (report === undefined) return ctx.errorNotFound(`no health check named '${name}'`);
          return answer(ctx, report.status !== 'unhealthy', { name, ...report }, 'unhealthy');
        },
      },
      routes: [
        { method: 'GET', path: base || '/', handler: h.health, ...apps },
        { method: 'GET', path: `${base}/live`, handler: h.live, ...apps },
        { method: 'GET', path: `${base}/ready`, handler: h.ready, ...apps },
        { method: 'GET', path: `${base}/:name`, handler: h.check, ...apps },
      ],
    };
  }
}

interface BuiltinEntry {
  type: 'memory' | 'disk';
  options: ConfigReader | undefined;
}

// `checks[]`: an entry with a `type` adds a built-in check; any entry sets `critical`, `enabled` and
// `timeout` of the check of that name (built-in, contributed by a service, or registered in code).
function readChecks(entries: ConfigReader[]): { overrides: Map<string, CheckOverride>; builtins: Map<string, BuiltinEntry> } {
  const overrides = new Map<string, CheckOverride>();
  const builtins = new Map<string, BuiltinEntry>();
  for (const e of entries) {
    const declared = e.string('type');
    const name = e.string('name') ?? declared;
    if (name === undefined) e.fail('name', 'a check entry needs a name or a type');
    if (declared !== undefined && declared !== 'memory' && declared !== 'disk') e.fail('type', `expected memory or disk, got '${declared}'`);
    if (overrides.has(name)) e.fail('name', `check '${name}' is configured twice`);
    const override: CheckOverride = {};
    if (e.has('critical')) override.critical = e.bool('critical', false);
    if (e.has('enabled')) override.enabled = e.bool('enabled', true);
    const timeout = e.duration('timeout', undefined);
    if (timeout !== undefined) override.timeout = timeout;
    overrides.set(name, override);
    const type = declared ?? (name === 'memory' || name === 'disk' ? name : undefined);
    if (type !== undefined) builtins.set(name, { type, options: e });
  }
  // Memory and disk run by default, not critical.
  for (const name of ['memory', 'disk'] as const) if (!builtins.has(name)) builtins.set(name, { type: name, options: undefined });
  return { overrides, builtins };
}

function builtinCheck({ type, options: o }: BuiltinEntry): HealthCheck['check'] {
  if (type === 'memory') {
    const maxRss = o?.size('max_rss', undefined);
    return memoryCheck({ maxHeapRatio: o?.number('max_heap_ratio', 0.9, [0, 1]) ?? 0.9, ...(maxRss === undefined ? {} : { maxRss }) });
  }
  const path = o?.string('path');
  const minFree = o?.size('min_free', undefined);
  return diskCheck({ ...(path === undefined ? {} : { path }), ...(minFree === undefined ? {} : { minFree }) });
}

function normalizePrefix(c: ConfigReader): string {
  const prefix = c.string('prefix', '/health');
  if (!prefix.startsWith('/')) c.fail('prefix', `expected a path starting with '/', got '${prefix}'`);
  return prefix.length > 1 ? prefix.replace(/\/+$/, '') : prefix;
}

/**
 * The `lokstra.health_check` factory: `mount` (`apps`, default the first app — `[]` mounts nothing;
 * `prefix`, default `/health`; `middleware: false` skips the app's middleware), `timeout` per check (default 2s), `checks` (built-in memory/disk
 * settings, and `critical`/`enabled`/`timeout` of any check by name).
 */
export function healthCheckFactory(config: Record<string, unknown>, ctx: ServiceFactoryContext): HealthService {
  const c = serviceConfig(ctx.name, config, HEALTH_CONFIG_KEYS);
  const mount = c.nested('mount', HEALTH_MOUNT_KEYS);
  const { overrides, builtins } = readChecks(c.list('checks', HEALTH_CHECK_KEYS));
  const service = new HealthCheckService(
    { lifecycle: ctx.lifecycle, timeout: c.duration('timeout', DEFAULT_TIMEOUT_MS), overrides, listServices: () => ctx.listServices() },
    { apps: mount.stringList('apps'), prefix: normalizePrefix(mount), middleware: mount.bool('middleware', true) },
  );
  for (const [name, entry] of builtins) service.register({ name, check: builtinCheck(entry) });
  return service;
}

export { HealthRunner, type HealthService, type Readiness, type NotReadyReason } from './service';
export { memoryCheck, diskCheck, type MemoryCheckOptions, type DiskCheckOptions } from './builtin-checks';
export { HEALTH_CHECK, type HealthCheck, type HealthCheckFn, type HealthCheckProvider, type HealthCheckResult, type HealthStatus, type CheckReport, type HealthReport } from './types';

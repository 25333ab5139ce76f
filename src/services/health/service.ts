import type { LifecycleState } from '../../metadata/types';
import { TimeoutError, withTimeout } from '../internal/timeout';
import {
  HEALTH_CHECK, type CheckReport, type HealthCheck, type HealthCheckProvider, type HealthCheckResult, type HealthReport, type HealthStatus,
} from './types';

/** Why `/health/ready` says not ready. */
export type NotReadyReason = 'starting' | 'shutting_down' | 'unhealthy';

/** The answer of a readiness probe. */
export interface Readiness {
  ready: boolean;
  reason?: NotReadyReason;
  report?: HealthReport;
}

/**
 * The health service (`lokstra.health_check`): runs checks contributed by services
 * (`[HEALTH_CHECK]()`), built-in ones (memory, disk) and custom ones registered in code.
 * @example
 * constructor(@Inject('health') health: HealthService) {
 *   health.register({ name: 'payments', critical: false, check: () => this.payments.ping() });
 * }
 */
export interface HealthService {
  /** Adds a check (names are unique). */
  register(check: HealthCheck): void;
  /** Names of the checks, in registration order. */
  names(): string[];
  /** Runs every check concurrently, each within its timeout. */
  run(): Promise<HealthReport>;
  /** Runs one check; `undefined` when no check has that name. */
  runOne(name: string): Promise<CheckReport | undefined>;
  /** Not ready while starting, while shutting down, or when a critical check is unhealthy. */
  readiness(): Promise<Readiness>;
}

/** Per-check settings from the config (`checks[]` entries naming a contributed check). */
export interface CheckOverride {
  critical?: boolean;
  timeout?: number;
  enabled?: boolean;
}

/** What the health runner needs. */
export interface HealthRunnerOptions {
  lifecycle: LifecycleState;
  timeout: number;
  overrides: Map<string, CheckOverride>;
  /** Services to look for contributed checks in (read once, at start). */
  listServices: () => readonly { name: string; instance: unknown }[];
}

const RANK: Record<HealthStatus, number> = { healthy: 0, degraded: 1, unhealthy: 2 };

function normalize(value: HealthCheckResult | HealthStatus | boolean | void): HealthCheckResult {
  if (value === undefined || value === true) return { status: 'healthy' };
  if (value === false) return { status: 'unhealthy' };
  const result = typeof value === 'string' ? { status: value } : value;
  if (!(result.status in RANK)) return { status: 'unhealthy', message: `check returned an unknown status '${String(result.status)}'` };
  return result;
}

// Error messages can carry hosts, paths or SQL: only the error's code or class is reported.
function failure(err: unknown): HealthCheckResult {
  if (err instanceof TimeoutError) return { status: 'unhealthy', message: err.message };
  const code = (err as { code?: unknown } | null)?.code;
  const name = (err as { name?: unknown } | null)?.name;
  return { status: 'unhealthy', message: `check failed: ${typeof code === 'string' ? code : typeof name === 'string' ? name : 'error'}` };
}

/** Runs health checks; shared by the HTTP handlers and code callers. */
export class HealthRunner implements HealthService {
  private readonly checks = new Map<string, HealthCheck>();
  private readonly inFlight = new Map<string, Promise<CheckReport>>();
  private readonly options: HealthRunnerOptions;
  private collected = false;

  constructor(options: HealthRunnerOptions) {
    this.options = options;
  }

  register(check: HealthCheck): void {
    if (typeof check?.name !== 'string' || check.name === '' || typeof check.check !== 'function') {
      throw new TypeError('a health check needs a name and a check function');
    }
    if (this.checks.has(check.name)) throw new TypeError(`health check '${check.name}' is registered twice`);
    const override = this.options.overrides.get(check.name);
    if (override?.enabled === false) return;
    this.checks.set(check.name, {
      ...check,
      critical: override?.critical ?? check.critical ?? false,
      timeout: override?.timeout ?? check.timeout ?? this.options.timeout,
    });
  }

  /** Gathers the checks services contribute (once; all services exist when `onStart` runs). */
  collect(): void {
    if (this.collected) return;
    this.collected = true;
    for (const { instance } of this.options.listServices()) {
      if (instance === this) continue;
      const fn = (instance as Partial<HealthCheckProvider> | null)?.[HEALTH_CHECK];
      if (typeof fn !== 'function') continue;
      const contributed = fn.call(instance);
      for (const check of Array.isArray(contributed) ? contributed : [contributed]) this.register(check);
    }
  }

  names(): string[] {
    this.collect();
    return [...this.checks.keys()];
  }

  async run(): Promise<HealthReport> {
    this.collect();
    const names = [...this.checks.keys()];
    const reports = await Promise.all(names.map((n) => this.runCheck(this.checks.get(n) as HealthCheck)));
    const checks: Record<string, CheckReport> = {};
    let status: HealthStatus = 'healthy';
    names.forEach((name, i) => {
      const r = reports[i] as CheckReport;
      checks[name] = r;
      // A non-critical check that fails degrades the whole; only a critical one makes it unhealthy.
      const effective: HealthStatus = r.status === 'unhealthy' && !r.critical ? 'degraded' : r.status;
      if (RANK[effective] > RANK[status]) status = effective;
    });
    return { status, checks };
  }

  async runOne(name: string): Promise<CheckReport | undefined> {
    this.collect();
    const check = this.checks.get(name);
    return check === undefined ? undefined : this.runCheck(check);
  }

  async readiness(): Promise<Readiness> {
    const { lifecycle } = this.options;
    if (lifecycle.shuttingDown) return { ready: false, reason: 'shutting_down' };
    if (!lifecycle.ready) return { ready: false, reason: 'starting' };
    const report = await this.run();
    return report.status === 'unhealthy' ? { ready: false, reason: 'unhealthy', report } : { ready: true, report };
  }

  // Concurrent probes of one check share a run, so a burst of probes cannot pile up on a slow dependency.
  private runCheck(check: HealthCheck): Promise<CheckReport> {
    let running = this.inFlight.get(check.name);
    if (running === undefined) {
      running = this.execute(check).finally(() => this.inFlight.delete(check.name));
      this.inFlight.set(check.name, running);
    }
    return running;
  }

  private async execute(check: HealthCheck): Promise<CheckReport> {
    const started = performance.now();
    const controller = new AbortController();
    const work = Promise.resolve().then(() => check.check(controller.signal));
    // The check may settle after its timeout: its late rejection must not go unhandled.
    work.catch(() => undefined);
    let result: HealthCheckResult;
    try {
      result = normalize(await withTimeout(work, check.timeout ?? this.options.timeout, `check '${check.name}'`, () => controller.abort()));
    } catch (err) {
      result = failure(err);
    }
    const report: CheckReport = { status: result.status, critical: check.critical === true, durationMs: Math.round((performance.now() - started) * 100) / 100 };
    if (result.message !== undefined) report.message = result.message;
    if (result.details !== undefined) report.details = result.details;
    return report;
  }
}

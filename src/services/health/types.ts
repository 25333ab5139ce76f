/** Health of one check, or of the whole deployment. */
export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

/** What a check reports; a check may also return just a status, a boolean, or nothing (= healthy). */
export interface HealthCheckResult {
  status: HealthStatus;
  message?: string;
  details?: Record<string, unknown>;
}

/** A check function; it should stop when `signal` aborts (its timeout fired). */
export type HealthCheckFn = (signal: AbortSignal) => Promise<HealthCheckResult | HealthStatus | boolean | void> | HealthCheckResult | HealthStatus | boolean | void;

/** A named health check. */
export interface HealthCheck {
  name: string;
  check: HealthCheckFn;
  /** An unhealthy critical check makes `/health/ready` answer 503 (default false). */
  critical?: boolean;
  /** Budget in ms before the check counts as unhealthy (default: the health service's `timeout`). */
  timeout?: number;
}

/**
 * The method name (a symbol) a service implements to contribute health checks; the health service
 * finds them on every created service. The pg pool and Redis services contribute critical checks.
 * @example
 * class Mailer { [HEALTH_CHECK](): HealthCheck { return { name: 'mailer', check: () => this.ping() }; } }
 */
export const HEALTH_CHECK = Symbol.for('lokstra.health-check');

/** A service that contributes health checks. */
export interface HealthCheckProvider {
  [HEALTH_CHECK](): HealthCheck | HealthCheck[];
}

/** One check's outcome in a report. */
export interface CheckReport {
  status: HealthStatus;
  critical: boolean;
  durationMs: number;
  message?: string;
  details?: Record<string, unknown>;
}

/** The aggregate of every check. */
export interface HealthReport {
  status: HealthStatus;
  checks: Record<string, CheckReport>;
}

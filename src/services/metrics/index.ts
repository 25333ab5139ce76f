import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { optional } from '../../internal/optional';
import { parseAddress } from '../../config/settings';
import { HTTP_CONTRIBUTION, type HttpContribution, type ServiceFactoryContext } from '../../metadata/types';
import { serviceConfig } from '../internal/config-reader';

/**
 * Prometheus metrics (`lokstra.metrics`) on a registry of its own (never prom-client's global one,
 * so two deployments in one process do not mix). HTTP metrics are recorded for every listener.
 * @example
 * constructor(@Inject('metrics') metrics: MetricsService) {
 *   this.created = metrics.counter('orders_created_total', 'Orders created', ['channel']);
 * }
 */
export interface MetricsService {
  readonly registry: Registry;
  /** A counter by name (created once; the same name again returns it). */
  counter<L extends string = string>(name: string, help: string, labels?: readonly L[]): Counter<L>;
  gauge<L extends string = string>(name: string, help: string, labels?: readonly L[]): Gauge<L>;
  histogram<L extends string = string>(name: string, help: string, labels?: readonly L[], buckets?: number[]): Histogram<L>;
  /** The text exposition format. */
  metrics(): Promise<string>;
  readonly contentType: string;
  /** `host:port` of the separate endpoint once started (when `address` is configured). */
  readonly address: string | undefined;
}

/** Config keys of `lokstra.metrics` (kept equal to the schema's by a test). */
export const METRICS_CONFIG_KEYS = ['path', 'address', 'apps', 'default_metrics', 'prefix', 'buckets', 'middleware'] as const;

/** The named handler serving the exposition text (routable by hand, e.g. behind an auth middleware). */
export const METRICS_HANDLER = 'metrics';

/** The `route` label of requests that matched no route (404s, 405s): one series, whatever the URL. */
export const UNMATCHED_ROUTE = 'unmatched';

/** The `method` label of requests whose method is not one of the nine standard ones (PROPFIND, MKCOL…). */
export const OTHER_METHOD = 'other';

const STANDARD_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);

interface MetricsOptions {
  name: string;
  path: string;
  address: string | undefined;
  apps: string[] | undefined;
  /** `false`: the endpoint skips the app's middleware. */
  appMiddleware: boolean;
  defaultMetrics: boolean;
  prefix: string;
  buckets: number[] | undefined;
}

interface HookRequest {
  method: string;
  routeOptions: { url?: string | undefined };
}
interface HookReply {
  statusCode: number;
  elapsedTime: number;
}

class PromMetricsService implements MetricsService {
  readonly registry: Registry = new (optional.promClient().Registry)();
  private readonly options: MetricsOptions;
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly duration: Histogram<'method' | 'route' | 'status'>;
  private server: Server | undefined;
  private bound: string | undefined;

  constructor(options: MetricsOptions) {
    this.options = options;
    if (options.defaultMetrics) optional.promClient().collectDefaultMetrics({ register: this.registry, prefix: options.prefix });
    const labels = ['method', 'route', 'status'] as const;
    this.requests = this.counter('http_requests_total', 'HTTP requests by method, route template and status.', labels);
    this.duration = this.histogram('http_request_duration_seconds', 'HTTP request duration in seconds by method, route template and status.', labels, options.buckets);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  get address(): string | undefined {
    return this.bound;
  }

  private existing<M>(name: string, type: abstract new (...args: never[]) => M, kind: string): M | undefined {
    const found = this.registry.getSingleMetric(this.options.prefix + name);
    if (found === undefined) return undefined;
    if (!(found instanceof type)) throw new TypeError(`metric '${this.options.prefix + name}' is already registered, and is not a ${kind}`);
    return found;
  }

  counter<L extends string = string>(name: string, help: string, labels: readonly L[] = []): Counter<L> {
    return this.existing<Counter<L>>(name, optional.promClient().Counter, 'counter')
      ?? new (optional.promClient().Counter<L>)({ name: this.options.prefix + name, help, labelNames: labels, registers: [this.registry] });
  }

  gauge<L extends string = string>(name: string, help: string, labels: readonly L[] = []): Gauge<L> {
    return this.existing<Gauge<L>>(name, optional.promClient().Gauge, 'gauge')
      ?? new (optional.promClient().Gauge<L>)({ name: this.options.prefix + name, help, labelNames: labels, registers: [this.registry] });
  }

  histogram<L extends string = string>(name: string, help: string, labels: readonly L[] = [], buckets?: number[]): Histogram<L> {
    return this.existing<Histogram<L>>(name, optional.promClient().Histogram, 'histogram')
      ?? new (optional.promClient().Histogram<L>)({ name: this.options.prefix + name, help, labelNames: labels, registers: [this.registry], ...(buckets ? { buckets } : {}) });
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  // The route label is the template Fastify matched (`/orders/:id`), never the raw URL: random
  // paths must not create series. Unmatched requests share UNMATCHED_ROUTE; methods outside the
  // standard nine share OTHER_METHOD (Node's parser accepts ~35 methods, WebDAV's included).
  private record(req: HookRequest, reply: HookReply): void {
    const labels = { method: STANDARD_METHODS.has(req.method) ? req.method : OTHER_METHOD, route: req.routeOptions.url ?? UNMATCHED_ROUTE, status: String(reply.statusCode) };
    this.requests.inc(labels);
    this.duration.observe(labels, reply.elapsedTime / 1000);
  }

  [HTTP_CONTRIBUTION](): HttpContribution {
    const { path, address, apps, appMiddleware } = this.options;
    const handler = METRICS_HANDLER;
    return {
      handlers: { [handler]: async (ctx: { raw(type: string, payload: string): unknown }) => ctx.raw(this.contentType, await this.metrics()) },
      routes: address === undefined ? [{ method: 'GET', path, handler, ...(apps ? { apps } : {}), ...(appMiddleware ? {} : { middleware: false as const }) }] : [],
      onListener: (fastify: { addHook(name: 'onResponse', fn: (req: HookRequest, reply: HookReply, done: () => void) => void): void }) => {
        fastify.addHook('onResponse', (req, reply, done) => {
          this.record(req, reply);
          done();
        });
      },
    };
  }

  /** Starts the separate endpoint when `address` is configured. */
  async onStart(): Promise<void> {
    if (this.options.address === undefined) return;
    const where = parseAddress(this.options.address, `services.${this.options.name}.config.address`);
    const server = createServer((req, res) => {
      const url = (req.url ?? '/').split('?')[0];
      if (url !== this.options.path || (req.method !== 'GET' && req.method !== 'HEAD')) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
        return;
      }
      this.metrics().then((text) => res.writeHead(200, { 'content-type': this.contentType }).end(text), () => res.writeHead(500).end());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      if (where.path !== undefined) server.listen(where.path, resolve);
      else server.listen(where.port, where.host, resolve);
    });
    this.server = server;
    const a = server.address();
    this.bound = typeof a === 'string' ? `unix:${a}` : `${(a as AddressInfo).address}:${(a as AddressInfo).port}`;
  }

  async onStop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

/**
 * The `lokstra.metrics` factory: `path` (default `/metrics`), `address` (serve the endpoint on its
 * own port instead of the apps'), `apps` (where to mount it; default the first app),
 * `default_metrics` (process metrics, default true), `prefix` (metric names), `buckets` (seconds),
 * `middleware` (`false`: the endpoint skips the app's middleware, e.g. auth).
 */
export function metricsFactory(config: Record<string, unknown>, ctx: ServiceFactoryContext): MetricsService {
  const c = serviceConfig(ctx.name, config, METRICS_CONFIG_KEYS);
  const path = c.string('path', '/metrics');
  if (!path.startsWith('/')) c.fail('path', `expected a path starting with '/', got '${path}'`);
  const address = c.string('address');
  if (address !== undefined) parseAddress(address, `services.${ctx.name}.config.address`);
  const prefix = c.string('prefix', '');
  if (prefix !== '' && !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix)) c.fail('prefix', 'expected a Prometheus metric name prefix ([a-zA-Z_:][a-zA-Z0-9_:]*)');
  return new PromMetricsService({
    name: ctx.name, path, address, prefix,
    apps: c.stringList('apps'),
    appMiddleware: c.bool('middleware', true),
    defaultMetrics: c.bool('default_metrics', true),
    buckets: c.numberList('buckets'),
  });
}

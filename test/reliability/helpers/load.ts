import autocannon from 'autocannon';
import { openConnection, type RawConnection } from './raw-http';

/** The figures a load run is judged by. */
export interface LoadResult {
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Responses by status class. */
  statuses: Record<string, number>;
  latencyP99: number;
  latencyMax: number;
  durationS: number;
}

/** Options of {@link runLoad}. */
export interface LoadOptions {
  url: string;
  connections: number;
  durationS: number;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  /** A fresh path per request (e.g. random paths); overrides the URL's path. */
  path?: () => string;
  /** Stop after this many requests instead of after `durationS`. */
  amount?: number;
}

/** Runs autocannon and reduces its result to what the tests assert on. */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: o.url,
    connections: o.connections,
    ...(o.amount === undefined ? { duration: o.durationS } : { amount: o.amount }),
    method: o.method ?? 'GET',
    ...(o.body === undefined ? {} : { body: o.body }),
    headers: { ...(o.body === undefined ? {} : { 'content-type': 'application/json' }), ...o.headers },
    ...(o.path === undefined ? {} : { requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, path: (o.path as () => string)() }) }] }),
    timeout: 10,
  });
  return {
    requests: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statuses: { '1xx': result['1xx'], '2xx': result['2xx'], '3xx': result['3xx'], '4xx': result['4xx'], '5xx': result['5xx'] },
    latencyP99: result.latency.p99,
    latencyMax: result.latency.max,
    durationS: result.duration,
  };
}

/** What happened to a deliberately slow client. */
export interface SlowClient {
  kind: 'slowloris' | 'slow-body' | 'silent';
  conn: RawConnection;
  /** ms from connect until the server closed it (once closed). */
  closedAfter: Promise<number>;
}

/**
 * Opens a client that never finishes its request: `slowloris` trickles its headers one byte at a
 * time, `slow-body` sends headers then trickles a declared body, `silent` connects and sends nothing.
 */
export async function slowClient(port: number, kind: SlowClient['kind'], intervalMs = 100): Promise<SlowClient> {
  const conn = await openConnection(port);
  if (kind === 'slowloris') {
    void conn.trickle(`GET /health/live HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(2000)}\r\n\r\n`, intervalMs);
  } else if (kind === 'slow-body') {
    await conn.write('POST /users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{"name":"');
    void conn.trickle('a'.repeat(3990), intervalMs);
  }
  return { kind, conn, closedAfter: conn.closed };
}

/** Resolves with `value`, or with `fallback` after `ms`. */
export function within<T, F>(value: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([value, new Promise<F>((r) => { timer = setTimeout(() => r(fallback), ms); })]).finally(() => clearTimeout(timer));
}

/** Opens `count` keep-alive connections that each completed one request and then sit idle. */
export async function idleKeepAlive(port: number, count: number, batch = 100): Promise<RawConnection[]> {
  const out: RawConnection[] = [];
  for (let i = 0; i < count; i += batch) {
    const conns = await Promise.all(Array.from({ length: Math.min(batch, count - i) }, () => openConnection(port)));
    await Promise.all(conns.map(async (c) => {
      await c.write('GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
      const res = await c.response();
      if (res.status !== 200) throw new Error(`warm-up request answered ${res.status}`);
    }));
    out.push(...conns);
  }
  return out;
}

/** Opens `count` connections that send nothing at all. */
export async function silentConnections(port: number, count: number, batch = 100): Promise<RawConnection[]> {
  const out: RawConnection[] = [];
  for (let i = 0; i < count; i += batch) out.push(...await Promise.all(Array.from({ length: Math.min(batch, count - i) }, () => openConnection(port))));
  return out;
}

/** Counts the series of a metric family in a Prometheus text exposition. */
export function seriesCount(exposition: string, family: string): number {
  return exposition.split('\n').filter((l) => l.startsWith(`${family}{`) || l.startsWith(`${family} `)).length;
}

/** A random path of 1–4 segments. */
export function randomPath(): string {
  const seg = (): string => Math.random().toString(36).slice(2, 2 + 1 + Math.floor(Math.random() * 10));
  return `/${Array.from({ length: 1 + Math.floor(Math.random() * 4) }, seg).join('/')}`;
}

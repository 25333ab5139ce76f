import type { FastifyRequest } from 'fastify';
import { authOf } from './types';

/**
 * The rate-limit bucket of an address: IPv4 as it is, IPv6 by its /64 (one subscriber's whole
 * network, which a client can otherwise rotate through freely), IPv4-mapped IPv6 as the IPv4.
 */
export function addressBucket(ip: string): string {
  if (!ip.includes(':')) return ip;
  const lower = (ip.toLowerCase().split('%')[0] as string);
  const mapped = /^(?:0{0,4}:){0,5}ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower.replace(/^::/, '0:'));
  if (mapped !== null) return mapped[1] as string;
  const width = (groups: string[]): number => groups.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  let groups: string[];
  if (lower.includes('::')) {
    const [head, tail] = lower.split('::') as [string, string];
    const h = head === '' ? [] : head.split(':');
    const t = tail === '' ? [] : tail.split(':');
    groups = [...h, ...Array<string>(Math.max(0, 8 - width(h) - width(t))).fill('0'), ...t];
  } else {
    groups = lower.split(':');
  }
  return `${groups.slice(0, 4).map((g) => (Number.parseInt(g, 16) || 0).toString(16)).join(':')}::/64`;
}

/** What a `rate_limit` counts by: `ip`, `user`, `api_key` or `header:<name>`. */
export type RateKey = { kind: 'ip' } | { kind: 'user' } | { kind: 'api_key' } | { kind: 'header'; name: string };

/** Parses the `key` setting. */
export function parseRateKey(value: unknown): RateKey | undefined {
  if (value === undefined || value === 'ip') return { kind: 'ip' };
  if (value === 'user') return { kind: 'user' };
  if (value === 'api_key') return { kind: 'api_key' };
  if (typeof value === 'string' && value.startsWith('header:') && value.length > 7) return { kind: 'header', name: value.slice(7).toLowerCase() };
  return undefined;
}

/**
 * The bucket of a request. `req.ip` already honours `server.global_setting.trust_proxy` (Fastify's
 * `trustProxy`): `X-Forwarded-For` counts only from trusted proxies. Requests without the user, key
 * or header fall back to their address, so anonymous traffic is limited too.
 */
export function requestBucket(req: FastifyRequest, key: RateKey): string {
  if (key.kind === 'user' || key.kind === 'api_key') {
    const auth = authOf(req);
    if (auth?.subject !== undefined && (key.kind === 'user' || auth.method === 'api_key')) return `${key.kind}:${auth.subject}`;
  } else if (key.kind === 'header') {
    const raw = req.headers[key.name];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value !== undefined && value !== '') return `header:${value.slice(0, 256)}`;
  }
  return `ip:${addressBucket(req.ip)}`;
}

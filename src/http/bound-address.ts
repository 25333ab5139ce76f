import type { AddressInfo, Server } from 'node:net';

/** What a listener is actually bound to, for the `listening on` line. */
export interface BoundAddress {
  /** `http://127.0.0.1:41139`, `http://0.0.0.0:42935 (all interfaces; …)` or `unix:/run/app.sock`. */
  message: string;
  meta: { host?: string; port?: number; socket?: string; url: string };
}

const WILDCARDS = new Set(['0.0.0.0', '::', '::0']);

/**
 * Describes the address a server is bound to (port 0 → the port the OS chose; a wildcard host
 * stays a wildcard, with the local URL beside it), from `server.address()`, not from the config.
 */
export function boundAddress(server: Server, url: string): BoundAddress {
  const a = server.address() as AddressInfo | string | null;
  if (typeof a === 'string') return { message: `unix:${a}`, meta: { socket: a, url } };
  if (a === null) return { message: url, meta: { url } };
  const host = a.family === 'IPv6' || a.address.includes(':') ? `[${a.address}]` : a.address;
  const bound = `http://${host}:${a.port}`;
  const message = WILDCARDS.has(a.address) ? `${bound} (all interfaces; local URL ${url})` : bound;
  return { message, meta: { host: a.address, port: a.port, url } };
}

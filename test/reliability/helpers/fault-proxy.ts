import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * How the proxy treats traffic: `pass` forwards, `delay` forwards after `delayMs`, `blackhole`
 * accepts and swallows every byte (both ways), `reset` resets every connection (RST), `refuse`
 * stops listening (connections are refused; the port is kept for when the mode changes back).
 */
export type FaultMode = 'pass' | 'delay' | 'blackhole' | 'reset' | 'refuse';

/** A TCP proxy in front of a real server (PostgreSQL, Redis) that can be told to misbehave. */
export interface FaultProxy {
  readonly port: number;
  readonly mode: FaultMode;
  /** Connections accepted since start. */
  readonly accepted: number;
  /** Switches mode; `reset` and `refuse` also kill the open connections. */
  set(mode: FaultMode, delayMs?: number): Promise<void>;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
}

/** Starts a proxy on a free loopback port forwarding to `host:port`. */
export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  let mode: FaultMode = 'pass';
  let delayMs = 0;
  let accepted = 0;
  const pairs = new Set<Pair>();

  const forward = (from: Socket, to: Socket): void => {
    from.on('data', (chunk: Buffer) => {
      if (mode === 'blackhole') return;
      if (mode === 'delay') setTimeout(() => { if (!to.destroyed) to.write(chunk); }, delayMs);
      else if (!to.destroyed) to.write(chunk);
    });
  };

  const kill = (pair: Pair): void => {
    pair.client.resetAndDestroy();
    pair.upstream.destroy();
    pairs.delete(pair);
  };

  const server: Server = createServer((client) => {
    accepted++;
    if (mode === 'reset') {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    const pair: Pair = { client, upstream };
    pairs.add(pair);
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
    client.on('close', () => { upstream.destroy(); pairs.delete(pair); });
    upstream.on('close', () => { if (mode !== 'blackhole') client.destroy(); pairs.delete(pair); });
    forward(client, upstream);
    forward(upstream, client);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  let listening = true;

  const proxy: FaultProxy = {
    port,
    get mode() { return mode; },
    get accepted() { return accepted; },
    async set(next, ms = 0) {
      mode = next;
      delayMs = ms;
      if (next === 'reset' || next === 'refuse') for (const pair of [...pairs]) kill(pair);
      if (next === 'refuse' && listening) {
        listening = false;
        await new Promise<void>((r) => server.close(() => r()));
      } else if (next !== 'refuse' && !listening) {
        await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
        listening = true;
      }
    },
    async close() {
      for (const pair of [...pairs]) kill(pair);
      if (listening) await new Promise<void>((r) => server.close(() => r()));
      listening = false;
    },
  };
  return proxy;
}

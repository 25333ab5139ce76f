import { createServer, connect, type Server, type Socket } from 'node:net';

/** What the proxy does with traffic. */
export type ProxyMode = 'pass' | 'blackhole' | 'refuse';

/**
 * A TCP proxy in front of a real server, to simulate its faults without stopping it (other test
 * files share it): `pass` forwards; `blackhole` accepts and swallows bytes (a dead network);
 * `refuse` stops listening and drops every connection (server down). `reset()` drops connections.
 */
export class TcpProxy {
  readonly port: number;
  private mode: ProxyMode = 'pass';
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly target: { host: string; port: number };

  private constructor(port: number, target: { host: string; port: number }) {
    this.port = port;
    this.target = target;
  }

  static async start(targetUrl: string, defaultPort: number): Promise<TcpProxy> {
    const u = new URL(targetUrl);
    const proxy = new TcpProxy(0, { host: u.hostname, port: Number(u.port || defaultPort) });
    const port = await proxy.listen(0);
    (proxy as { port: number }).port = port;
    return proxy;
  }

  /** The target URL with host and port replaced by the proxy's. */
  url(targetUrl: string): string {
    const u = new URL(targetUrl);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  private listen(port: number): Promise<number> {
    const server = createServer((client) => this.accept(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    });
  }

  private accept(client: Socket): void {
    this.track(client);
    if (this.mode === 'blackhole') {
      client.on('data', () => undefined);
      return;
    }
    const upstream = connect(this.target.port, this.target.host);
    this.track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  /** Drops every open connection (both sides). */
  reset(): void {
    for (const s of this.sockets) s.destroy();
  }

  async setMode(mode: ProxyMode): Promise<void> {
    const previous = this.mode;
    this.mode = mode;
    if (mode === 'blackhole') {
      // Open connections stop forwarding too: unpipe them, swallow what arrives.
      for (const s of this.sockets) {
        s.unpipe();
        s.removeAllListeners('data');
        s.on('data', () => undefined);
      }
    }
    if (mode === 'refuse' && previous !== 'refuse') {
      const closed = this.closeServer();
      this.reset();
      await closed;
    }
    if (mode !== 'refuse' && previous === 'refuse') await this.listen(this.port);
    if (mode === 'pass' && previous === 'blackhole') this.reset();
  }

  private async closeServer(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  async close(): Promise<void> {
    const closed = this.closeServer();
    this.reset();
    await closed;
  }
}

/**
 * Issue 12 (High) — long responses are never cut while the client is reading; a client that stops
 * reading is cut (`send_timeout`); idle and slowloris connections are still cut on time. Raw
 * sockets that read at a fixed rate, with small timeouts so each case lasts a few seconds. After
 * every case: `/health/live` answers 200, no unhandled rejection, nothing polluted.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Context, createLogger, defineModule, Lokstra, type LokstraConfig, type LokstraHandle } from '../../src/index';
import { freePort } from '../helpers/net';
import { installFaultHooks } from './helpers/guard';
import { openConnection, parseResponse, rawGet } from './helpers/raw-http';

const SIZE = 12 * 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'lokstra-long-'));
const file = join(dir, 'big.bin');
const content = randomBytes(SIZE);
writeFileSync(file, content);
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

let handle: LokstraHandle;
let port: number;
/** The same routes and mounts without any handler timeout (a stalled reader there is cut by send_timeout alone). */
let plainPort: number;
let upstream: Server;
const log = installFaultHooks(() => (port ? `http://127.0.0.1:${port}/health/live` : undefined));

const pages = defineModule({
  name: 'long',
  handlers: {
    stream: (ctx: Context) => ctx.stream(createReadStream(file)),
    quiet: async (ctx: Context) => { await new Promise((r) => setTimeout(r, Number(ctx.query.ms ?? 0))); return ctx.ok('late but fine'); },
  },
});

/**
 * Timeouts far below the transfer time: any of them applied to a busy response would cut it.
 * send_timeout counts time without progress; Linux wakes a writer only once half of the socket's
 * send buffer (up to 4 MB on loopback) is free again, so it must exceed (buffer / 2) / rate.
 */
const SETTINGS = { headers_timeout: '500ms', request_timeout: '1s', keep_alive_timeout: '700ms', send_timeout: '3s' };
/** On `web`, every route (mounts included) has a 1 s handler timeout; `/quiet` overrides it. */
const HANDLER_TIMEOUT = { name: 'timeout', config: { duration: '1s' } };

beforeAll(async () => {
  const upPort = await freePort();
  upstream = createServer((_req, res) => { res.setHeader('content-length', SIZE); createReadStream(file).pipe(res); });
  await new Promise<void>((r) => upstream.listen(upPort, '127.0.0.1', r));
  [port, plainPort] = [await freePort(), await freePort()];
  const app = (name: string, address: string, middleware: unknown[]) => ({
    name, address, middleware,
    routes: [
      { method: 'GET', path: '/stream', handler: 'stream' },
      { method: 'GET', path: '/quiet', handler: 'quiet', middleware: [{ name: 'timeout', config: { duration: '10s' } }] },
    ],
    mount_static: [{ prefix: '/files', folder: dir }],
    mount_reverse_proxy: [{ prefix: '/up', target: `http://127.0.0.1:${upPort}` }],
  });
  handle = await Lokstra.run({
    server: { global_setting: SETTINGS },
    services: [{ name: 'health', type: 'lokstra.health_check' }],
    apps: [app('web', `127.0.0.1:${port}`, [HANDLER_TIMEOUT]), app('plain', `127.0.0.1:${plainPort}`, [])],
  } as LokstraConfig, { modules: [pages], logger: createLogger({ level: 'error' }), handleSignals: false });
  for (const a of handle.apps) log.watch(a.fastify.server, `${a.name} server`);
});
afterAll(async () => {
  await handle?.close();
  upstream.closeAllConnections();
  await new Promise((r) => upstream.close(r));
  rmSync(dir, { recursive: true, force: true });
});

interface Read { body: Buffer; ms: number; socket: Socket }

/**
 * GETs `target` over a raw socket and reads the answer at `bytesPerSecond` (flowing mode, paused
 * whenever it is ahead of the rate); resolves when the response is complete or the server closes.
 */
function slowRead(target: string, bytesPerSecond: number, keepAlive = false, on = port): Promise<Read> {
  return new Promise((resolve) => {
    const socket = connect(on, '127.0.0.1');
    const started = Date.now();
    const chunks: Buffer[] = [];
    let total = 0;
    let head: { end: number; length: number | undefined } | undefined;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      socket.pause();
      const parsed = parseResponse(Buffer.concat(chunks), true);
      resolve({ body: parsed?.body ?? Buffer.alloc(0), ms: Date.now() - started, socket });
    };
    const complete = (last: Buffer): boolean => {
      if (head === undefined) {
        const all = Buffer.concat(chunks);
        const end = all.indexOf('\r\n\r\n');
        if (end === -1) return false;
        const length = /\r\ncontent-length: *(\d+)/i.exec(all.subarray(0, end).toString('latin1'));
        head = { end, length: length ? Number(length[1]) : undefined };
      }
      if (head.length !== undefined) return total - head.end - 4 >= head.length;
      return last.subarray(-5).toString('latin1') === '0\r\n\r\n';
    };
    socket.on('connect', () => socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\n${keepAlive ? '' : 'Connection: close\r\n'}\r\n`));
    socket.on('error', () => undefined);
    socket.on('close', finish);
    socket.on('data', (c: Buffer) => {
      if (done) return;
      chunks.push(c);
      total += c.length;
      if (complete(c)) return finish();
      const ahead = total - (bytesPerSecond * (Date.now() - started)) / 1000;
      if (ahead > 0) {
        socket.pause();
        setTimeout(() => { if (!done) socket.resume(); }, (ahead / bytesPerSecond) * 1000);
      }
    });
  });
}

describe('H1 a slow but steady reader gets the whole response', () => {
  it('reads 12 MB at ~3 MB/s from a static file, ctx.stream() and a reverse proxy, past every timeout', async () => {
    const reads = await Promise.all(['/files/big.bin', '/stream', '/up/big.bin'].map((t) => slowRead(t, 3 * 1024 * 1024)));
    for (const r of reads) {
      r.socket.destroy();
      expect(r.body.length).toBe(SIZE);
      expect(sha(r.body)).toBe(sha(content));
      expect(r.ms).toBeGreaterThan(2000); // well past handler_timeout, request_timeout and keep_alive_timeout
    }
  });

  it('keeps the connection usable afterwards: a handler quiet for longer than send_timeout on the same connection is not cut', async () => {
    const r = await slowRead('/files/big.bin', 6 * 1024 * 1024, true);
    expect(r.body.length).toBe(SIZE);
    const next = new Promise<string>((resolve) => {
      let text = '';
      r.socket.on('data', (c: Buffer) => { text += c.toString('latin1'); if (text.includes('late but fine')) resolve(text); });
      r.socket.on('close', () => resolve(text));
    });
    r.socket.resume();
    r.socket.write('GET /quiet?ms=3500 HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await next).toMatch(/^HTTP\/1\.1 200[\s\S]*late but fine/);
    r.socket.destroy();
  });
});

describe('H2 a reader that stops is cut, others keep being served', () => {
  it.each(['/files/big.bin', '/stream', '/up/big.bin'])('cuts %s once the client stops reading for send_timeout (no handler timeout)', async (target) => {
    const socket = connect(plainPort, '127.0.0.1');
    socket.pause(); // never reads: the server's writes stall once the socket buffers are full
    socket.on('error', () => undefined);
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    socket.on('connect', () => socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`));
    const ok = await rawGet(plainPort, '/quiet', {}, { timeoutMs: 5000 });
    expect(ok.status).toBe(200);
    // A paused socket cannot see the server close it: wait past send_timeout (twice: Node re-arms
    // once if the write queue moved), then read what is left. A cut response is shorter than SIZE.
    await new Promise((r) => setTimeout(r, 7500));
    let received = 0;
    socket.on('data', (c: Buffer) => { received += c.length; });
    socket.resume();
    const outcome = await Promise.race([closed.then(() => 'closed'), new Promise<string>((r) => setTimeout(() => r('still open'), 3000))]);
    socket.destroy();
    expect(outcome).toBe('closed');
    expect(received).toBeLessThan(SIZE);
  });
});

describe('H3 idle and slowloris connections are still cut on time', () => {
  it('closes an idle keep-alive connection after keep_alive_timeout', async () => {
    const conn = await openConnection(port);
    await conn.write('GET /quiet HTTP/1.1\r\nHost: x\r\n\r\n');
    expect((await conn.response(5000)).status).toBe(200);
    const at = Date.now();
    await conn.closed;
    expect(Date.now() - at).toBeLessThan(2500);
  });

  it('cuts a slowloris client at headers_timeout and a slow body at request_timeout', async () => {
    const loris = await openConnection(port);
    void loris.trickle('GET /quiet HTTP/1.1\r\nHost: x\r\nX-Pad: ' + 'a'.repeat(200), 100);
    const slowBody = await openConnection(port);
    await slowBody.write('POST /quiet HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n');
    void slowBody.trickle('{"a":"' + 'b'.repeat(90), 100);
    const [a, b] = await Promise.all([loris.closed, slowBody.closed]);
    expect(a).toBeLessThan(3000);
    expect(b).toBeLessThan(3500);
  });
});

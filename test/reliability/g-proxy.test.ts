/**
 * Issue 12 (High) — reverse-proxy confinement and bodies, against a running app and a real upstream
 * HTTP server on loopback that records the exact request line it receives. Attacks go over raw
 * sockets (`helpers/raw-http.ts`): inject() and Node's client normalise URLs. After every case:
 * `/health/live` answers 200, no unhandled rejection / uncaught exception, nothing polluted.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createLogger, Lokstra, type LokstraConfig, type LokstraHandle } from '../../src/index';
import { freePort } from '../helpers/net';
import { installFaultHooks } from './helpers/guard';
import { LogCapture } from './helpers/app';
import { openConnection, rawRequest, type RawResponse } from './helpers/raw-http';

/** One request as the upstream saw it. */
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  closedEarly: boolean;
}

const seen: Seen[] = [];
let upstream: Server;
let upPort: number;
let handle: LokstraHandle;
let port: number;
let timedPort: number;
let logs: LogCapture;
const hanging = new Set<ServerResponse>();
const log = installFaultHooks(() => (port ? `http://127.0.0.1:${port}/health/live` : undefined));

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function answer(req: IncomingMessage, res: ServerResponse, entry: Seen): void {
  if (req.url?.startsWith('/base/hang')) {
    hanging.add(res);
    return;
  }
  res.setHeader('content-type', 'application/json');
  res.setHeader('x-end-to-end', 'kept');
  res.setHeader('proxy-authenticate', 'Basic realm=upstream');
  res.setHeader('upgrade', 'h2c');
  res.setHeader('trailer', 'x-never');
  res.end(JSON.stringify({ method: entry.method, url: entry.url, size: entry.body.length, sha: sha(entry.body) }));
}

function startUpstream(): Promise<void> {
  upstream = createServer((req, res) => {
    const entry: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.alloc(0), closedEarly: false };
    seen.push(entry);
    const chunks: Buffer[] = [];
    res.on('close', () => { entry.closedEarly = !res.writableFinished; });
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => { entry.body = Buffer.concat(chunks); answer(req, res, entry); });
  });
  return new Promise((r) => upstream.listen(upPort, '127.0.0.1', () => r()));
}

function config(): LokstraConfig {
  return {
    server: { global_setting: { body_limit: '8mb' } },
    services: [{ name: 'health', type: 'lokstra.health_check', config: { mount: { apps: ['gw'] } } }],
    apps: [
      {
        name: 'gw', address: `127.0.0.1:${port}`,
        mount_reverse_proxy: [{ prefix: '/legacy', target: `http://127.0.0.1:${upPort}/base` }],
      },
      {
        name: 'timed', address: `127.0.0.1:${timedPort}`,
        middleware: [{ name: 'timeout', config: { duration: '400ms' } }],
        mount_reverse_proxy: [{ prefix: '/', target: `http://127.0.0.1:${upPort}/base/` }],
      },
    ],
  } as LokstraConfig;
}

beforeAll(async () => {
  [upPort, port, timedPort] = [await freePort(), await freePort(), await freePort()];
  await startUpstream();
  logs = new LogCapture();
  handle = await Lokstra.run(config(), { logger: createLogger({ level: 'warn', stream: logs, format: 'json' }), handleSignals: false });
  for (const a of handle.apps) log.watch(a.fastify.server, `${a.name} server`);
  log.watch(upstream, 'upstream');
});
afterAll(async () => {
  for (const res of hanging) res.destroy();
  await handle?.close();
  upstream.closeAllConnections();
  await new Promise((r) => upstream.close(r));
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (res: RawResponse): any => JSON.parse(res.text);
const send = (target: string, extra: Parameters<typeof rawRequest>[1] extends infer T ? Partial<Exclude<T, string | Buffer>> : never = {}): Promise<RawResponse> =>
  rawRequest(port, { method: 'GET', target, ...extra }, { timeoutMs: 10_000 });

/** Every form a path can take after one, two or three decodings, NFKC-folded. */
function decodings(path: string): string[] {
  const out = [path];
  let current = path;
  for (let i = 0; i < 3; i++) {
    try { current = decodeURIComponent(current); } catch { break; }
    out.push(current, current.normalize('NFKC'));
  }
  return out;
}

/** The upstream saw nothing outside `/base/`: no dot segment, no backslash, whatever it decodes. */
function expectConfined(entry: Seen): void {
  const path = entry.url.split('?')[0] as string;
  expect(path === '/base' || path.startsWith('/base/')).toBe(true);
  for (const form of decodings(path)) {
    expect(form.split(/[/\\]/).map((s) => s.split(';')[0]).filter((s) => s === '..' || s === '.')).toEqual([]);
  }
  expect(decodings(path).some((f) => f.includes('\\'))).toBe(false);
}

describe('G1 the upstream path never leaves the target base path', () => {
  const ATTACKS = [
    '/legacy/../secret', '/legacy/x/../../secret', '/legacy/./secret', '/legacy/x/..',
    '/legacy/%2e%2e/secret', '/legacy/%2E%2E/secret', '/legacy/.%2e/secret', '/legacy/%2e./secret', '/legacy/%2E%2e%2Fsecret',
    '/legacy/..%2fsecret', '/legacy/..%2F..%2Fsecret', '/legacy/x%2f..%2f..%2fsecret', '/legacy/%2e',
    '/legacy/..%5csecret', '/legacy/%5c..%5csecret', '/legacy/a%5Cb', '/legacy/..\\secret', '/legacy/a\\b',
    '/legacy/%252e%252e/secret', '/legacy/%252e%252e%252fsecret', '/legacy/%25252e%25252e/secret', '/legacy/%255c', '/legacy/.%252e/x',
    '/legacy/..;/secret', '/legacy/%2e%2e;x=1/secret', '/legacy/%ef%bc%8e%ef%bc%8e/secret', '/legacy/%ef%bc%bcsecret',
    '/legacy/%2e%2E%5C%2e%2e%5Csecret', '/legacy/x/%2e%2e%2f%2e%2e%5c..%2fsecret?q=1',
  ];
  it.each(ATTACKS)('refuses %s with a 400 envelope and the upstream sees nothing', async (target) => {
    const before = seen.length;
    const res = await send(target);
    expect(res.status).toBe(400);
    expect(json(res)).toMatchObject({ success: false, code: 'BAD_REQUEST' });
    expect(res.text).not.toMatch(/stack|at .*\.ts:/);
    expect(seen.length).toBe(before);
  });

  it.each([
    '/legacy/%zz', '/legacy/%', '/legacy/a%2', '/legacy/%c3%28', '/legacy/%c0%ae%c0%ae/secret', '/legacy/%e0%80%ae',
    '/legacy/%00', '/legacy/a%00b', '/legacy/%0d%0aX-Injected:%201', '/legacy/%7f', '/legacy/%09',
  ])('answers the malformed or control-character path %s with a 400 envelope, never a 500', async (target) => {
    const before = seen.length;
    const res = await send(target);
    expect(res.status).toBe(400);
    expect(json(res)).toMatchObject({ success: false });
    expect(seen.length).toBe(before);
  });

  it.each([
    // [request target, exact path + query the upstream must see]
    ['/legacy', '/base'],
    ['/legacy/', '/base/'],
    ['/legacy/users/1?x=2&y=%2e%2e', '/base/users/1?x=2&y=%2e%2e'],
    ['/legacy/a%3fadmin=1', '/base/a%3Fadmin=1'],
    ['/legacy/a%3Fx=1?real=2', '/base/a%3Fx=1?real=2'],
    ['/legacy/a%23frag', '/base/a%23frag'],
    ['/legacy/a%2fb', '/base/a%2Fb'],
    ['/legacy/a%20b/%e2%82%ac', '/base/a%20b/%E2%82%AC'],
    ['/legacy/%61dmin', '/base/admin'],
    ['/legacy//double//slash', '/base/double/slash'],
    ['/legacy/...', '/base/...'],
    ['/legacy/..a/b..', '/base/..a/b..'],
    ['/legacy/%2e%2e%3fq=1', '/base/..%3Fq=1'],
    ['/legacy/%25', '/base/%25'],
    ['/legacy/%252f', '/base/%252f'],
    ['/legacy/a:b@c,d;e=f+g$h&i', '/base/a:b@c,d;e=f+g$h&i'],
    ['/legacy/x?q=a#../../secret', '/base/x?q=a'],
  ])('sends %s upstream as exactly %s', async (target, expected) => {
    const before = seen.length;
    const res = await send(target);
    expect(res.status).toBe(200);
    expect(seen.length).toBe(before + 1);
    const entry = seen[seen.length - 1] as Seen;
    expect(entry.url).toBe(expected);
    expectConfined(entry);
    expect(entry.headers.host).toBe(`127.0.0.1:${upPort}`);
  });

  it('never reaches the upstream with an absolute-form request line or a prefix look-alike', async () => {
    const before = seen.length;
    for (const target of [`http://127.0.0.1:${upPort}/secret`, '/legacyx/../secret', '/legacy..', '//legacy/../secret', '/LEGACY/x']) {
      const res = await send(target);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    expect(seen.slice(before).filter((e) => !e.url.startsWith('/base'))).toEqual([]);
  });

  it('keeps every request any earlier case let through inside /base', () => {
    for (const entry of seen) expectConfined(entry);
  });
});

describe('G2 bodies of any content type are forwarded byte for byte', () => {
  const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256));
  it.each([
    ['urlencoded', 'application/x-www-form-urlencoded', Buffer.from('a=1&a=2&b=%E2%82%AC&__proto__[x]=1')],
    ['JSON, not re-serialised', 'application/json', Buffer.from('{"n": 1e400, "a": 1, "a": 2, "big": 12345678901234567890}')],
    ['text/plain', 'text/plain; charset=utf-8', Buffer.from('plain text\r\n')],
    ['binary', 'application/octet-stream', binary],
    ['multipart', 'multipart/form-data; boundary=XyZ', Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\n\r\nabc\r\n--XyZ--\r\n')],
    ['no content type', undefined, Buffer.from('raw bytes')],
  ])('forwards a %s POST', async (_what, contentType, body) => {
    const res = await send('/legacy/upload', { method: 'POST', headers: contentType === undefined ? {} : { 'Content-Type': contentType }, body });
    expect(res.status).toBe(200);
    const entry = seen[seen.length - 1] as Seen;
    expect(entry.method).toBe('POST');
    expect(sha(entry.body)).toBe(sha(body));
    expect(entry.headers['content-type']).toBe(contentType);
  });

  it('forwards a chunked body, and PUT, PATCH and DELETE bodies', async () => {
    const chunked = '5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n';
    const res = await send('/legacy/c', { method: 'POST', headers: { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' }, body: chunked });
    expect(res.status).toBe(200);
    expect((seen[seen.length - 1] as Seen).body.toString()).toBe('hello world');
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const r = await send('/legacy/m', { method, headers: { 'Content-Type': 'application/xml' }, body: '<a/>' });
      expect(r.status).toBe(200);
      expect(seen[seen.length - 1]).toMatchObject({ method, body: Buffer.from('<a/>') });
    }
  });

  it('forwards a 5 MB POST sent after `Expect: 100-continue`, with hop-by-hop headers dropped both ways', async () => {
    const body = Buffer.alloc(5 * 1024 * 1024, 'z');
    const conn = await openConnection(port);
    await conn.write([
      'POST /legacy/big HTTP/1.1', 'Host: localhost', 'Content-Type: application/octet-stream', `Content-Length: ${body.length}`,
      'Expect: 100-continue', 'Connection: keep-alive, X-Hop', 'X-Hop: secret', 'Keep-Alive: timeout=5', 'TE: trailers', 'Trailer: X-T',
      'Upgrade: h2c', 'Proxy-Authorization: Basic cHJveHk6cHc=', 'Proxy-Connection: keep-alive', 'X-End: 1', '', '',
    ].join('\r\n'));
    const cont = await conn.response(5000);
    expect(cont.status).toBe(100);
    await conn.write(body);
    const res = await conn.response(15_000);
    conn.destroy();
    expect(res.status).toBe(200);
    expect(json(res)).toMatchObject({ size: body.length, sha: sha(body) });
    const got = (seen[seen.length - 1] as Seen).headers;
    for (const h of ['expect', 'x-hop', 'keep-alive', 'te', 'trailer', 'upgrade', 'proxy-authorization', 'proxy-connection']) expect(got[h]).toBeUndefined();
    expect(got['x-end']).toBe('1');
    expect(res.headers['x-end-to-end']).toBe('kept');
    for (const h of ['proxy-authenticate', 'upgrade', 'trailer']) expect(res.headers[h]).toBeUndefined();
  });

  it('drops a GET body (and its Content-Length) so the upstream never waits for it', async () => {
    const res = await send('/legacy/g', { method: 'GET', headers: { 'Content-Type': 'text/plain' }, body: 'hello' });
    expect(res.status).toBe(200);
    const entry = seen[seen.length - 1] as Seen;
    expect(entry.headers['content-length']).toBeUndefined();
    expect(entry.body.length).toBe(0);
  });

  it('answers a body over the route limit with 413, by Content-Length before the upstream is asked, and chunked', async () => {
    const before = seen.length;
    const big = await send('/legacy/x', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: Buffer.alloc(9 * 1024 * 1024, 'a') });
    expect(big.status).toBe(413);
    expect(json(big)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(seen.length).toBe(before);
    const chunk = Buffer.alloc(1024 * 1024, 'b');
    const parts = Array.from({ length: 10 }, () => Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]));
    const chunked = await send('/legacy/x', { method: 'POST', headers: { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' }, body: Buffer.concat([...parts, Buffer.from('0\r\n\r\n')]) });
    expect(chunked.status).toBe(413);
    expect(seen.slice(before).every((e) => e.body.length <= 8 * 1024 * 1024)).toBe(true);
  });

  it('answers 502 with an envelope when the upstream is down', async () => {
    const dead = await freePort();
    const h = await Lokstra.build({ apps: [{ name: 'gw', address: ':0', mount_reverse_proxy: [{ prefix: '/p', target: `http://127.0.0.1:${dead}` }] }] });
    const res = await h.apps[0]!.inject({ method: 'POST', url: '/p/x', payload: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({ code: 'BAD_GATEWAY', success: false });
    await h.close();
  });
});

describe('G3 a proxied request ends with its client', () => {
  const waitFor = async (cond: () => boolean, ms: number): Promise<boolean> => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (cond()) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return cond();
  };

  it('aborts the upstream request when the client disconnects', async () => {
    const conn = await openConnection(port);
    await conn.write('GET /legacy/hang/1 HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(await waitFor(() => seen.some((e) => e.url === '/base/hang/1'), 3000)).toBe(true);
    conn.destroy();
    const entry = seen.find((e) => e.url === '/base/hang/1') as Seen;
    expect(await waitFor(() => entry.closedEarly, 3000)).toBe(true);
  });

  it('aborts the upstream request at the route timeout and answers 503 once', async () => {
    const started = Date.now();
    const res = await rawRequest(timedPort, { method: 'POST', target: '/hang/2', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=1' }, { timeoutMs: 5000 });
    expect(res.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(4000); // 400 ms route timeout; generous for a loaded machine
    const entry = seen.find((e) => e.url === '/base/hang/2') as Seen;
    expect(entry).toBeDefined();
    expect(await waitFor(() => entry.closedEarly, 3000)).toBe(true);
  });

  it('aborts a bodyless upstream request at the route timeout too', async () => {
    const res = await rawRequest(timedPort, { method: 'GET', target: '/hang/3' }, { timeoutMs: 5000 });
    expect(res.status).toBe(503);
    const entry = seen.find((e) => e.url === '/base/hang/3') as Seen;
    expect(await waitFor(() => entry.closedEarly, 3000)).toBe(true);
  });

  it('does not abort a POST once its body has been read (the answer still arrives)', async () => {
    const res = await rawRequest(timedPort, { method: 'POST', target: '/ok', headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' });
    expect(res.status).toBe(200);
    expect(json(res)).toMatchObject({ url: '/base/ok', size: 7 });
  });
});

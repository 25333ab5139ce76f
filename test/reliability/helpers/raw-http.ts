import { connect, type Socket } from 'node:net';

/**
 * HTTP/1.1 over a bare TCP socket. `inject()` and Node's http client normalise or refuse odd URLs,
 * bytes and framing; these helpers send exactly the bytes given and parse exactly what comes back.
 */

/** One parsed HTTP response. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** The body as latin1 text (byte-exact, so a search for a secret cannot miss it). */
  text: string;
  /** Everything received on the socket, as latin1. */
  raw: string;
}

/** What a request looks like before it is serialised. */
export interface RawRequestSpec {
  method?: string;
  target: string;
  headers?: Record<string, string | number> | [string, string | number][];
  body?: string | Buffer;
  /** Send `Connection: close` (default true). */
  close?: boolean;
  /** Add `Host: localhost` unless a Host header is given (default true). */
  host?: boolean;
}

/** Serialises a request, byte for byte (no encoding or normalisation of `target`). */
export function buildRequest(spec: RawRequestSpec): Buffer {
  const pairs: [string, string | number][] = Array.isArray(spec.headers) ? [...spec.headers] : Object.entries(spec.headers ?? {});
  const names = new Set(pairs.map(([k]) => k.toLowerCase()));
  if (spec.host !== false && !names.has('host')) pairs.unshift(['Host', 'localhost']);
  if (spec.close !== false && !names.has('connection')) pairs.push(['Connection', 'close']);
  const body = spec.body === undefined ? undefined : Buffer.isBuffer(spec.body) ? spec.body : Buffer.from(spec.body, 'utf8');
  if (body !== undefined && !names.has('content-length') && !names.has('transfer-encoding')) pairs.push(['Content-Length', body.length]);
  const head = `${spec.method ?? 'GET'} ${spec.target} HTTP/1.1\r\n${pairs.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  return body === undefined ? Buffer.from(head, 'latin1') : Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/** Splits a chunked body; `undefined` while incomplete. */
function dechunk(data: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = data.indexOf('\r\n', at, 'latin1');
    if (eol === -1) return undefined;
    const size = parseInt(data.subarray(at, eol).toString('latin1').split(';')[0] ?? '', 16);
    if (Number.isNaN(size)) return Buffer.concat(parts);
    if (size === 0) return Buffer.concat(parts);
    if (data.length < eol + 2 + size + 2) return undefined;
    parts.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

/**
 * Parses the first response in `data`; `undefined` while it is incomplete (unless `ended`, when
 * whatever arrived is the response).
 */
export function parseResponse(data: Buffer, ended: boolean): RawResponse | undefined {
  const split = data.indexOf('\r\n\r\n', 0, 'latin1');
  if (split === -1) return undefined;
  const lines = data.subarray(0, split).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? NaN);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    }
  }
  const rest = data.subarray(split + 4);
  let body: Buffer | undefined;
  if (status === 204 || status === 304 || (status >= 100 && status < 200)) body = Buffer.alloc(0);
  else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(rest);
  else if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    body = rest.length >= length ? rest.subarray(0, length) : undefined;
  } else if (ended) body = rest;
  if (body === undefined) {
    if (!ended) return undefined;
    body = rest;
  }
  return { status, headers, body, text: body.toString('latin1'), raw: data.toString('latin1') };
}

/** Options of {@link rawRequest}. */
export interface RawOptions {
  host?: string;
  /** Give up after this long (default 5 s): rejects with `timeout`. */
  timeoutMs?: number;
}

/** What a connection ended with when no complete response arrived. */
export class NoResponse extends Error {
  constructor(readonly reason: 'closed' | 'reset' | 'timeout', readonly raw: string) {
    super(`no HTTP response (${reason})${raw ? `: ${JSON.stringify(raw.slice(0, 200))}` : ''}`);
  }
}

/** Sends raw bytes on a fresh connection and resolves with the first complete response. */
export function rawRequest(port: number, request: string | Buffer | RawRequestSpec, options: RawOptions = {}): Promise<RawResponse> {
  const bytes = typeof request === 'string' ? Buffer.from(request, 'latin1') : Buffer.isBuffer(request) ? request : buildRequest(request);
  return new Promise((resolve, reject) => {
    const socket = connect(port, options.host ?? '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      fn();
    };
    const timer = setTimeout(() => finish(() => reject(new NoResponse('timeout', Buffer.concat(chunks).toString('latin1')))), options.timeoutMs ?? 5000);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      const res = parseResponse(Buffer.concat(chunks), false);
      if (res !== undefined) finish(() => resolve(res));
    });
    socket.on('end', () => {
      const data = Buffer.concat(chunks);
      const res = parseResponse(data, true);
      finish(() => (res ? resolve(res) : reject(new NoResponse('closed', data.toString('latin1')))));
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const data = Buffer.concat(chunks);
      const res = parseResponse(data, true);
      finish(() => (res ? resolve(res) : err.code === 'ECONNRESET' || err.code === 'EPIPE' ? reject(new NoResponse('reset', data.toString('latin1'))) : reject(err)));
    });
  });
}

/** `GET target` over a raw socket (`Connection: close`). */
export function rawGet(port: number, target: string, headers: Record<string, string> = {}, options: RawOptions = {}): Promise<RawResponse> {
  return rawRequest(port, { method: 'GET', target, headers }, options);
}

/** An open connection on which requests can be written by hand, byte by byte if need be. */
export interface RawConnection {
  readonly socket: Socket;
  /** Everything received so far. */
  received(): Buffer;
  /** Resolves when the server closes (or resets) the connection, with the elapsed ms since `open`. */
  readonly closed: Promise<number>;
  /** Writes bytes; resolves false when the socket is already gone. */
  write(data: string | Buffer): Promise<boolean>;
  /** Writes `data` one byte every `intervalMs` until done or the connection closes; resolves with the bytes written. */
  trickle(data: string | Buffer, intervalMs: number): Promise<number>;
  /** Waits for the next complete response (keep-alive: one response per call). */
  response(timeoutMs?: number): Promise<RawResponse>;
  destroy(): void;
}

/** Opens a connection and keeps it open until the server or `destroy()` ends it. */
export function openConnection(port: number, host = '127.0.0.1'): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, host);
    let buffer = Buffer.alloc(0);
    let consumed = 0;
    let gone = false;
    const waiters: (() => void)[] = [];
    const wake = (): void => { for (const w of waiters.splice(0)) w(); };
    const closed = new Promise<number>((r) => socket.on('close', () => { gone = true; wake(); r(Date.now() - started); }));
    socket.on('data', (c: Buffer) => { buffer = Buffer.concat([buffer, c]); wake(); });
    socket.on('error', () => { gone = true; wake(); });
    socket.once('connect', () => {
      socket.off('error', reject);
      const conn: RawConnection = {
        socket,
        closed,
        received: () => buffer,
        write: (data) => new Promise((r) => {
          if (gone || socket.destroyed) return r(false);
          socket.write(data, (err) => r(!err));
        }),
        trickle: async (data, intervalMs) => {
          const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
          let sent = 0;
          for (const byte of bytes) {
            if (gone || socket.destroyed) break;
            if (!(await conn.write(Buffer.from([byte])))) break;
            sent++;
            await new Promise((r) => setTimeout(r, intervalMs));
          }
          return sent;
        },
        response: (timeoutMs = 5000) => new Promise((res, rej) => {
          const deadline = setTimeout(() => rej(new NoResponse('timeout', buffer.subarray(consumed).toString('latin1'))), timeoutMs);
          const check = (): void => {
            const parsed = parseResponse(buffer.subarray(consumed), gone);
            if (parsed !== undefined) {
              clearTimeout(deadline);
              consumed = Math.min(buffer.length, consumedAfter(buffer, consumed, parsed));
              return res(parsed);
            }
            if (gone) {
              clearTimeout(deadline);
              return rej(new NoResponse('closed', buffer.subarray(consumed).toString('latin1')));
            }
            waiters.push(check);
          };
          check();
        }),
        destroy: () => socket.destroy(),
      };
      resolve(conn);
    });
    socket.once('error', reject);
  });
}

// Where the next response starts: after this one's head and body.
function consumedAfter(buffer: Buffer, from: number, parsed: RawResponse): number {
  const split = buffer.indexOf('\r\n\r\n', from, 'latin1');
  const bodyStart = split + 4;
  if (/chunked/i.test(parsed.headers['transfer-encoding'] ?? '')) {
    const end = buffer.indexOf('0\r\n\r\n', bodyStart, 'latin1');
    return end === -1 ? buffer.length : end + 5;
  }
  return bodyStart + parsed.body.length;
}

import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Transform, type TransformCallback } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Response } from '../http/response/response';
import { mergeVary } from '../internal/vary';

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1) and those only the first hop may act on: never forwarded in
 * either direction. `expect` is answered by Node itself (`100 Continue`) before the body is read.
 */
const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization',
  'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect', 'http2-settings',
]);

/** Copies headers without hop-by-hop ones and those the `Connection` header names. */
export function endToEndHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const listed = new Set(String(headers.connection ?? '').toLowerCase().split(',').map((s) => s.trim()).filter((s) => s !== ''));
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name)) continue;
    out[name] = value;
  }
  return out;
}

class BodyTooLarge extends Error {}

/** Counts body bytes on their way upstream and fails the stream past `limit`. */
class ByteLimit extends Transform {
  private seen = 0;
  constructor(private readonly limit: number) { super(); }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) return done(new BodyTooLarge(`request body is larger than ${this.limit} bytes`));
    done(null, chunk);
  }
}

/** Where and how one proxied request goes. */
export interface ForwardTarget {
  /** The upstream origin (its path is not used). */
  url: URL;
  /** Path and query to request, already normalised and encoded. */
  path: string;
  agent: HttpAgent;
}

/** A keep-alive agent for a target (idle sockets do not keep the process alive). */
export function agentFor(url: URL): HttpAgent {
  return url.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
}

function hasBody(req: FastifyRequest): boolean {
  const h = req.raw.headers;
  if (req.method === 'GET' || req.method === 'HEAD') return false;
  return h['transfer-encoding'] !== undefined || (h['content-length'] !== undefined && h['content-length'] !== '0');
}

function requestHeaders(req: FastifyRequest, url: URL, withBody: boolean): OutgoingHttpHeaders {
  const headers = endToEndHeaders(req.raw.headers);
  if (!withBody) delete headers['content-length'];
  const forwardedFor = req.raw.headers['x-forwarded-for'];
  headers['x-forwarded-for'] = forwardedFor === undefined ? req.ip : `${String(forwardedFor)}, ${req.ip}`;
  headers['x-forwarded-host'] ??= req.raw.headers.host ?? '';
  headers['x-forwarded-proto'] ??= req.protocol;
  headers.host = url.host;
  return headers;
}

/** Streams the upstream answer to the client, without hop-by-hop headers. */
function relay(reply: FastifyReply, upstream: IncomingMessage): Response {
  reply.code(upstream.statusCode ?? 502);
  const vary = reply.getHeader('vary'); // set by hooks (CORS's Origin): merged with the upstream's
  reply.headers(endToEndHeaders(upstream.headers) as Record<string, string | string[]>);
  if (vary !== undefined) reply.header('vary', mergeVary(vary, upstream.headers.vary));
  void reply.send(upstream);
  return Response.handled();
}

function failure(err: Error, signal: AbortSignal): Response {
  if (signal.aborted) return Response.handled(); // the client left, or the route timeout answered
  if (err instanceof BodyTooLarge) return Response.error(413, 'Payload too large', 'PAYLOAD_TOO_LARGE');
  return Response.error(502, 'Bad gateway', 'BAD_GATEWAY');
}

/**
 * Sends the request upstream (the body, if any, as the raw bytes the client sent, streamed and
 * counted against `bodyLimit`) and resolves once the upstream answer has started streaming back,
 * or with a 413/502 envelope. `signal` (client gone, route timeout) aborts the upstream request.
 */
export function forward(req: FastifyRequest, reply: FastifyReply, target: ForwardTarget, signal: AbortSignal, bodyLimit: number): Promise<Response> {
  const withBody = hasBody(req);
  const declared = Number(req.raw.headers['content-length'] ?? 0);
  if (withBody && declared > bodyLimit) return Promise.resolve(Response.error(413, 'Payload too large', 'PAYLOAD_TOO_LARGE'));
  return new Promise((resolve) => {
    const { url, path, agent } = target;
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const settle = (res: Response): void => { if (!settled) { settled = true; resolve(res); } };
    let upstream: ReturnType<typeof httpRequest>;
    try {
      upstream = send({
        protocol: url.protocol, hostname: url.hostname.replace(/^\[|\]$/g, ''), port: url.port, path,
        method: req.method, headers: requestHeaders(req, url, withBody), agent, signal,
      });
    } catch {
      return settle(Response.error(400, 'Malformed URL', 'BAD_REQUEST')); // characters Node refuses in a request line
    }
    upstream.on('response', (res) => settle(relay(reply, res)));
    upstream.on('error', (err) => settle(failure(err, signal)));
    if (!withBody) return void upstream.end();
    const limit = new ByteLimit(bodyLimit);
    limit.on('error', (err) => { upstream.destroy(err); settle(failure(err, signal)); });
    req.raw.on('error', (err) => upstream.destroy(err));
    req.raw.pipe(limit).pipe(upstream);
  });
}

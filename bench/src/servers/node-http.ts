// Raw node:http: the practical limit. Hand-written routing, conversion and validation.
import http from 'node:http';
import { portFromEnv } from '../shared/routes';
import { UserStore } from '../shared/users';

const users = new UserStore();
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const JSON_TYPE = 'application/json; charset=utf-8';

function send(res: http.ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function createUser(req: http.IncomingMessage, res: http.ServerResponse): void {
  let raw = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => { raw += chunk; });
  req.on('end', () => {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return send(res, 400, { error: 'malformed JSON' });
    }
    if (typeof body !== 'object' || body === null) return send(res, 400, { error: 'body must be an object' });
    const { name, email, age } = body;
    const errors: string[] = [];
    if (typeof name !== 'string' || name.length < 2) errors.push('name');
    if (typeof email !== 'string' || !EMAIL.test(email)) errors.push('email');
    if (typeof age !== 'number' || !Number.isInteger(age) || age < 0 || age > 150) errors.push('age');
    if (errors.length > 0) return send(res, 400, { error: 'validation failed', fields: errors });
    send(res, 201, users.create({ name: name as string, email: email as string, age: age as number }));
  });
}

const server = http.createServer((req, res) => {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (req.method === 'GET' && path === '/hello') return send(res, 200, { message: 'hello' });
  if (req.method === 'GET' && path.startsWith('/users/')) {
    const rawId = path.slice(7);
    if (!/^\d+$/.test(rawId)) return send(res, 400, { error: 'id must be an integer' });
    const verbose = q < 0 ? null : new URLSearchParams(url.slice(q + 1)).get('verbose');
    if (verbose !== null && verbose !== 'true' && verbose !== 'false') return send(res, 400, { error: 'verbose must be a boolean' });
    return send(res, 200, users.find(Number(rawId), verbose === 'true'));
  }
  if (req.method === 'POST' && path === '/users') return createUser(req, res);
  send(res, 404, { error: 'not found' });
});

server.keepAliveTimeout = 72_000;
server.listen(portFromEnv(), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)).closeAllConnections());

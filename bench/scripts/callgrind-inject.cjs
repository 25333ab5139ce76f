#!/usr/bin/env node
// In-process requests for instruction counts (callgrind), independent of the machine's load:
//   node scripts/callgrind-inject.cjs <lokstra dir with dist/> <variant> <route> <N> [origin]
// boots the Lokstra app of the benchmark (variant `plain` or `builtins`: request_id, request_logger,
// cors, security_headers, compression at log level warn), sends N requests with inject() and exits.
// Instructions per request = (instructions of run N2 − run N1) ÷ (N2 − N1); scripts/callgrind.sh does that.
'use strict';
const { join, resolve } = require('node:path');

const [dir, variant = 'builtins', route = 'hello', n = '1000', origin] = process.argv.slice(2);
// eslint-disable-next-line import/no-dynamic-require
const { Lokstra } = require(join(resolve(dir), 'dist', 'cjs', 'index.js'));

const BUILTINS = [
  'request_id',
  'request_logger',
  { name: 'cors', config: { allowed_origins: ['http://localhost:5173', 'https://*.admin.example.com'], allow_credentials: true, exposed_headers: ['x-request-id'] } },
  'security_headers',
  'compression',
];
const REQUESTS = {
  hello: { method: 'GET', url: '/hello' },
  user: { method: 'GET', url: '/users/42?verbose=true' },
};

async function main() {
  const lk = new Lokstra({ handleSignals: false });
  const app = lk.app('api', '127.0.0.1:0');
  if (variant === 'builtins') app.use(...BUILTINS);
  else if (variant !== 'plain') throw new Error(`variant: plain or builtins, not ${variant}`);
  app.get('/hello', (ctx) => ctx.ok({ message: 'hello' }));
  app.get('/users/:id', (ctx) => ctx.ok({ id: Number(ctx.params.id), verbose: ctx.query.verbose === 'true' }));
  const h = await lk.build({ server: { global_setting: { log_level: 'warn' } } });
  const target = h.apps[0];
  const req = { ...REQUESTS[route], headers: origin === undefined ? {} : { origin } };
  const first = await target.inject(req);
  if (first.statusCode !== 200) throw new Error(`${req.url} answered ${first.statusCode}: ${first.body}`);
  for (let i = 1; i < Number(n); i++) await target.inject(req);
  await h.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

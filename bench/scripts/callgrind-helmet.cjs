#!/usr/bin/env node
// security_headers per request, before and after issue 13 (instruction counts, no server):
//   valgrind --tool=callgrind node scripts/callgrind-helmet.cjs <perRequest|precomputed> <N>
// run with two N and divide the difference. `perRequest` is what @fastify/helmet did on every request
// (build helmet from the options, run it); `precomputed` is what Lokstra's onRequest hook does now.
// Both write to the same minimal fake response. Needs the repository's dist/ (npm run build).
'use strict';
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const helmet = require(join(root, 'node_modules', 'helmet'));
const { helmetPlan } = require(join(root, 'dist', 'cjs', 'middleware', 'security-headers.js'));

const res = () => {
  const headers = {};
  return { setHeader: (n, v) => { headers[n] = v; }, removeHeader: (n) => { delete headers[n]; } };
};
const plan = helmetPlan({});
const variants = {
  perRequest: () => helmet(Object.assign(Object.create(null), {}))({}, res(), () => undefined),
  precomputed: () => {
    const r = res();
    for (const [n, v] of plan.set) r.setHeader(n, v);
    for (const n of plan.remove) r.removeHeader(n);
  },
};
const run = variants[process.argv[2]];
if (run === undefined) throw new Error(`variant: ${Object.keys(variants).join(' or ')}`);
for (let i = 0, n = Number(process.argv[3] ?? 10000); i < n; i++) run();

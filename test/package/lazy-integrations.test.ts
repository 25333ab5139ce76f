import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

// SPEC-2 §1: `require('lokstra')` loads none of the optional integrations; each is loaded when a
// config or code uses it. Checked in one fresh Node process (Jest's module registry is not
// require.cache), at three points: after require, after booting a plain app, after an app with
// cors, security_headers and compression.

const ROOT = join(__dirname, '..', '..');
// fast-json-stringify is not listed: Fastify itself requires it at load (its serializer compiler).
// yaml and cosmiconfig: only to read and discover config files (a config object needs neither);
// winston: only once a logger writes a line at an enabled level (the probe logs at 'error').
const OPTIONAL = ['pg', 'ioredis', 'prom-client', '@fastify/static', '@fastify/compress', '@fastify/cors', 'helmet', 'handlebars', '@fastify/swagger-ui', 'jose', '@fastify/rate-limit', '@fastify/session', '@fastify/cookie', '@fastify/csrf-protection', '@fastify/oauth2', 'yaml', 'cosmiconfig', 'winston', '@swc/core', 'mysql2', 'better-sqlite3', 'umzug', 'kysely'];

const PROBE = `
  const OPTIONAL = ${JSON.stringify(OPTIONAL)};
  const snapshot = () => {
    const loaded = new Set();
    for (const file of Object.keys(require.cache)) {
      const rest = file.split('node_modules/').pop();
      if (rest === file) continue;
      const parts = rest.split('/');
      const name = parts[0].startsWith('@') ? parts[0] + '/' + parts[1] : parts[0];
      if (OPTIONAL.includes(name)) loaded.add(name);
    }
    return [...loaded].sort();
  };
  const boot = async (setup) => {
    const lk = new Lokstra({ handleSignals: false });
    setup(lk.app('api', ':0'));
    const h = await lk.build({ server: { global_setting: { log_level: 'error' } } });
    const res = await h.apps[0].inject('/hi');
    if (res.statusCode !== 200) throw new Error('GET /hi answered ' + res.statusCode);
    await h.close();
  };
  const { Lokstra } = require('./src/index.ts');
  const out = { required: snapshot() };
  (async () => {
    await boot((app) => app.get('/hi', (ctx) => ctx.ok('hi')));
    out.plainApp = snapshot();
    await boot((app) => app.use('cors', 'security_headers', 'compression').get('/hi', (ctx) => ctx.ok('hi')));
    out.withMiddleware = snapshot();
  })().then(() => process.stdout.write(JSON.stringify(out)), (err) => { console.error(err); process.exit(1); });
`;

describe('lazy integrations', () => {
  let seen: { required: string[]; plainApp: string[]; withMiddleware: string[] };
  beforeAll(() => {
    seen = JSON.parse(execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', PROBE], { cwd: ROOT, encoding: 'utf8', timeout: 90_000 })) as typeof seen;
  }, 100_000);

  it('loads none of the optional integrations on require(lokstra)', () => {
    expect(seen.required).toEqual([]);
  });

  it('loads none of them when an app without those features boots and serves', () => {
    expect(seen.plainApp).toEqual([]);
  });

  it('loads cors, helmet and compression only once an app uses those middleware', () => {
    expect(seen.withMiddleware).toEqual(['@fastify/compress', '@fastify/cors', 'helmet']);
  });
});

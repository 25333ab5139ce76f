#!/usr/bin/env node
'use strict';
/**
 * Checks that every server the test suite needs answers a real query, before `npm test` runs:
 * PostgreSQL (`select 1`), Redis (`PING`), MariaDB (`select 1`). Same URLs as the tests
 * (LOKSTRA_TEST_PG_URL, LOKSTRA_TEST_REDIS_URL, LOKSTRA_TEST_MYSQL_URL). Prints one line per server
 * and exits 1 with the start command when one does not answer (see .ci/run).
 */
const pg = require('pg');
const Redis = require('ioredis');
const mysql = require('mysql2/promise');

const URLS = {
  pg: process.env.LOKSTRA_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  redis: process.env.LOKSTRA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  mysql: process.env.LOKSTRA_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test',
};
const TIMEOUT_MS = 5000;

const within = (promise, what) => Promise.race([
  promise,
  new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS).unref()),
]).catch((err) => { throw new Error(`${what}: ${err.message}`); });

const CHECKS = [
  ['PostgreSQL', URLS.pg, "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start", async () => {
    const client = new pg.Client({ connectionString: URLS.pg, connectionTimeoutMillis: TIMEOUT_MS });
    try { await client.connect(); await client.query('select 1'); } finally { await client.end().catch(() => undefined); }
  }],
  ['Redis', URLS.redis, 'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no', async () => {
    const client = new Redis(URLS.redis, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: TIMEOUT_MS });
    try { await client.connect(); await client.ping(); } finally { client.disconnect(); }
  }],
  ['MariaDB', URLS.mysql, 'start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd', async () => {
    const conn = await mysql.createConnection({ uri: URLS.mysql, connectTimeout: TIMEOUT_MS });
    try { await conn.query('select 1'); } finally { await conn.end().catch(() => undefined); }
  }],
];

(async () => {
  let failed = 0;
  for (const [name, url, start, check] of CHECKS) {
    const safe = url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
    try {
      await within(check(), name);
      console.log(`services: ${name} answers at ${safe}`);
    } catch (err) {
      failed++;
      console.error(`services: FAIL: ${name} does not answer at ${safe} (${err.message}); start it with: ${start}`);
    }
  }
  process.exit(failed === 0 ? 0 : 1);
})();

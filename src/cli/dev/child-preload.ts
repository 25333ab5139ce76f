// The app process of `lokstra dev`, started ahead of time as a warm standby: it loads Lokstra and the
// integrations the project may use while the current app still serves, then waits for the parent to
// send the compiled entry to run (a reload then costs the user's own modules only). It tells the parent
// over IPC when Lokstra.run listens or fails to boot.
/* eslint-disable @typescript-eslint/no-require-imports -- warming the module cache is the point */
import { pathToFileURL } from 'node:url';
import { reportReadiness } from '../entry/capture';

const send = (message: unknown): void => {
  process.send?.(message);
};

const WARM = ['pg', 'ioredis', 'prom-client', 'handlebars', '@fastify/static', '@fastify/cors', '@fastify/compress', 'helmet'];

function warm(): void {
  require('../../index');
  for (const name of WARM) {
    try {
      require(name);
    } catch {
      // not installed: nothing to warm
    }
  }
}

reportReadiness(send);
warm();
let running = false;
process.on('message', (m: { type?: string; file?: string; esm?: boolean }) => {
  if (m.type !== 'lokstra:load' || m.file === undefined || running) return;
  running = true;
  process.argv[1] = m.file;
  const loaded = m.esm ? import(pathToFileURL(m.file).href) : Promise.resolve().then(() => require(m.file as string) as unknown);
  loaded.catch((err: Error) => {
    console.error(err);
    send({ type: 'lokstra:failed', message: `error: ${err.message}` });
  });
});
// When lokstra dev goes away, a standby leaves at once and a running app shuts down gracefully.
process.on('disconnect', () => {
  if (running) process.kill(process.pid, 'SIGTERM');
  else process.exit(0);
});

import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lokstra } from '../../../src/index';
import { memoryLogger, type LogLine } from '../../helpers/memory-logger';

// Issue 11: the `listening on` line shows the address actually bound — the port the OS chose for
// port 0, the host as bound (a wildcard stays a wildcard), the socket path for unix sockets.

async function listeningLine(address: string): Promise<{ line: LogLine | undefined; bound: AddressInfo | string | null }> {
  const logger = memoryLogger();
  const h = await Lokstra.run({ apps: [{ name: 'api', address }] }, { logger, handleSignals: false });
  try {
    return { line: logger.lines.find((l) => l.message.startsWith('listening on')), bound: h.apps[0]!.fastify.server.address() };
  } finally {
    await h.close();
  }
}

describe('the listening on line', () => {
  it('shows the real port and the wildcard host for :0', async () => {
    const { line, bound } = await listeningLine(':0');
    const port = (bound as AddressInfo).port;
    expect(port).toBeGreaterThan(0);
    expect(line?.message).toMatch(new RegExp(`^listening on http://0\\.0\\.0\\.0:${port} \\(all interfaces; local URL http://127\\.0\\.0\\.1:${port}\\)$`));
    expect(line?.meta).toMatchObject({ apps: ['api'], host: '0.0.0.0', port });
  });

  it('shows the host and real port for 127.0.0.1:0', async () => {
    const { line, bound } = await listeningLine('127.0.0.1:0');
    const port = (bound as AddressInfo).port;
    expect(line?.message).toBe(`listening on http://127.0.0.1:${port}`);
    expect(line?.meta).toMatchObject({ host: '127.0.0.1', port, url: `http://127.0.0.1:${port}` });
  });

  it('shows the socket path for a unix socket', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lks-listen-')), 'app.sock');
    const { line } = await listeningLine(`unix:${path}`);
    expect(line?.message).toBe(`listening on unix:${path}`);
    expect(line?.meta).toMatchObject({ socket: path });
  });
});

/**
 * RELIABILITY.md §F — logs. The fixture logs through the real winston logger into memory
 * (`LogCapture`), with the `request_logger` middleware on the app; hostile requests go over raw
 * sockets so their bytes reach the server unchanged.
 */
import { startReliabilityApp, type ReliabilityApp } from './helpers/app';
import { installFaultHooks } from './helpers/guard';
import { rawGet, rawRequest, type RawResponse } from './helpers/raw-http';

const FORGED = '{"level":"error","message":"forged"}';

/** Requests that try to end a log line and start a forged one (or paint the terminal). */
function hostileRequests(port: number): (() => Promise<RawResponse>)[] {
  const enc = encodeURIComponent(`\r\n${FORGED}\u001b[31m\u2028`);
  return [
    () => rawGet(port, `/search?q=${enc}`),
    () => rawGet(port, `/items/${enc}`),
    () => rawGet(port, `/nowhere/${enc}`),
    () => rawGet(port, `/search?q=a&${enc}=1`),
    () => rawGet(port, '/fail/crlf'),
    () => rawRequest(port, { method: 'POST', target: '/users', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: `Ann\r\n${FORGED}\u001b[2J`, email: 'ann@example.com', note: `\n${FORGED}` }) }),
    () => rawRequest(port, { method: 'POST', target: `/raw?x=${enc}`, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ [`k\r\n${FORGED}`]: `v\u001b[0m\n${FORGED}` }) }),
    () => rawGet(port, '/search?q=ua', { 'User-Agent': `agent %0d%0a${FORGED} \u00e9\u00ff`, 'X-Note': `\t${FORGED}` }),
    // Raw CR/LF or ESC inside a header cannot be sent: the HTTP parser refuses the request (400) before anything is logged.
    () => rawRequest(port, `GET /search?q=esc HTTP/1.1\r\nHost: x\r\nUser-Agent: a\u001b[31mred\r\nConnection: close\r\n\r\n`),
  ];
}

describe('F1 CR/LF and ANSI escapes cannot forge log lines', () => {
  describe.each(['json', 'text'] as const)('log_format %s', (format) => {
    let app: ReliabilityApp;
    installFaultHooks(() => app?.live);
    beforeAll(async () => {
      app = await startReliabilityApp({}, { format, requestLogger: { include_request_body: true, include_headers: true, include_response_body: true } });
    });
    afterAll(() => app.handle.close());

    let lines: string[] = [];
    beforeAll(async () => {
      const mark = app.logs.mark();
      for (const send of hostileRequests(app.port)) expect((await send()).status).toBeLessThan(600);
      await new Promise((r) => setTimeout(r, 100));
      lines = app.logs.lines.slice(mark);
    });

    it('writes one well-formed line per entry: no raw CR, LF, ESC or other control character inside a line', () => {
      expect(lines.length).toBeGreaterThanOrEqual(8);
      for (const line of lines) {
        // eslint-disable-next-line no-control-regex
        expect(line).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/);
        if (format === 'json') {
          const entry = JSON.parse(line) as Record<string, unknown>;
          expect(entry).toEqual(expect.objectContaining({ level: expect.any(String), message: expect.any(String) }));
          expect(entry.message).not.toBe('forged');
        } else {
          expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z (DEBUG|INFO|WARN|ERROR) /);
        }
      }
      // One "request completed" line per request that reached the app (the last one is refused by the HTTP parser).
      expect(lines.filter((l) => l.includes('request completed'))).toHaveLength(hostileRequests(app.port).length - 1);
    });

    it('escapes the Unicode line separators U+2028/U+2029 too, as log-safety promises', () => {
      for (const line of lines) expect(line).not.toMatch(/[\u2028\u2029]/);
    });
  });
});

describe('F2 secrets are redacted everywhere', () => {
  let app: ReliabilityApp;
  installFaultHooks(() => app?.live);
  beforeAll(async () => {
    app = await startReliabilityApp({}, { requestLogger: { include_request_body: true, include_headers: true, include_response_body: true } });
  });
  afterAll(() => app.handle.close());

  const S = (n: number): string => `SECRET-VALUE-${n}-${'x'.repeat(4)}`;

  it('never logs authorization, cookie, x-api-key, or password/token fields, in headers, query, bodies or errors', async () => {
    const mark = app.logs.mark();
    const headers = { Authorization: `Bearer ${S(1)}`, Cookie: `session=${S(2)}`, 'X-Api-Key': S(3), 'Proxy-Authorization': `Basic ${S(4)}`, 'X-Auth-Token': S(5) };
    const body = JSON.stringify({ username: 'al', password: S(6), token: S(7), apiKey: S(8), credentials: { password: S(9) }, nested: { deeper: { client_secret: S(10), private_key: S(11) } } });
    await rawRequest(app.port, { method: 'POST', target: `/login?token=${S(12)}&password=${S(13)}&api_key=${S(14)}`, headers: { ...headers, 'Content-Type': 'application/json' }, body });
    await rawRequest(app.port, { method: 'POST', target: `/raw?access_token=${S(15)}`, headers: { ...headers, 'Content-Type': 'application/json' }, body });
    await rawRequest(app.port, { method: 'POST', target: '/users', headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' }, body: `name=Ann&email=ann%40example.com&password=${S(16)}` });
    await rawGet(app.port, `/fail/string?secret=${S(17)}`, headers);
    await rawGet(app.port, `/nowhere?password=${S(18)}`, headers);
    await new Promise((r) => setTimeout(r, 100));
    const text = app.logs.lines.slice(mark).join('\n');
    expect(text).toContain('[REDACTED]');
    for (let n = 1; n <= 18; n++) expect(text).not.toContain(S(n));
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// `lokstra dev` on a small CommonJS project: the CLI runs from its TypeScript sources and resolves
// `lokstra` to this repository's src/ (a shim on NODE_PATH), the app process runs the SWC output.
// The same scenario against the packed tarball, ESM and CommonJS, is test/consumer/templates.mjs.
const ROOT = join(__dirname, '..', '..');

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'dev-fixture', private: true, type: 'commonjs', lokstra: { entry: 'src/main.ts' } }),
  'lokstra.config.yaml': 'server:\n  global_setting:\n    log_level: error\napps:\n  - name: api\n    address: "127.0.0.1:0"\n    controllers: [PingController]\n',
  'src/main.ts': `import 'reflect-metadata';
import { Lokstra } from 'lokstra';
import { AppModule } from './app.module';

Lokstra.run('lokstra.config.yaml', { modules: [AppModule] }).catch((err: Error & { code?: string }) => {
  console.error(\`\${err.code ?? 'error'}: \${err.message}\`);
  process.exitCode = 1;
});
`,
  'src/app.module.ts': `import { Module } from 'lokstra';
import { PingController } from './ping.controller';
import { PingService } from './ping.service';

@Module({ controllers: [PingController], services: [PingService] })
export class AppModule {}
`,
  'src/ping.service.ts': `import { Service } from 'lokstra';

@Service()
export class PingService {
  answer(): string {
    return 'pong';
  }
}
`,
  'src/ping.controller.ts': `import { Get, Route } from 'lokstra';
import { PingService } from './ping.service';

@Route('/ping')
export class PingController {
  constructor(private readonly ping: PingService) {}

  @Get('/')
  get() {
    return { answer: this.ping.answer(), version: 1 };
  }
}
`,
};

describe('lokstra dev', () => {
  let dir: string;
  let dev: ChildProcess;
  const lines: string[] = [];

  function waitFor(re: RegExp, from: number, timeoutMs = 60_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const poll = setInterval(() => {
        const hit = lines.slice(from).find((l) => re.test(l));
        if (hit !== undefined || Date.now() - started > timeoutMs) {
          clearInterval(poll);
          if (hit !== undefined) resolve(hit);
          else reject(new Error(`no line matching ${re} after ${timeoutMs} ms; output:\n${lines.join('\n')}`));
        }
      }, 25);
    });
  }
  const urlOf = (line: string): string => (/(http:\/\/127\.0\.0\.1:\d+)/.exec(line) as RegExpExecArray)[1] as string;
  const ping = async (url: string): Promise<{ status: number; body: string }> => {
    const res = await fetch(`${url}/ping`);
    return { status: res.status, body: await res.text() };
  };
  const edit = (file: string, from: string, to: string): void => {
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8');
    if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
    writeFileSync(path, text.replace(from, to));
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lokstra-dev-'));
    for (const [file, text] of Object.entries(FILES)) {
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    mkdirSync(join(dir, 'shim', 'lokstra'), { recursive: true });
    writeFileSync(join(dir, 'shim', 'lokstra', 'index.js'), `module.exports = require(${JSON.stringify(join(ROOT, 'src', 'index.ts'))});\n`);
    dev = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src/cli/main.ts'), 'dev', '--debounce', '50'], {
      cwd: dir,
      env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), NODE_PATH: [join(dir, 'shim'), join(ROOT, 'node_modules')].join(':'), LOKSTRA_DEBUG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [dev.stdout, dev.stderr]) {
      let buf = '';
      stream?.on('data', (d: Buffer) => {
        buf += d.toString();
        const parts = buf.split('\n');
        buf = parts.pop() ?? '';
        lines.push(...parts);
      });
    }
  });

  afterAll(async () => {
    if (dev.exitCode === null) {
      const gone = new Promise((r) => dev.once('exit', r));
      dev.kill('SIGTERM');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts the app, reloads on a controller edit, survives a compile error, and picks up a YAML route', async () => {
    let url = urlOf(await waitFor(/^started in \d+ ms/, 0, 90_000));
    expect(await ping(url)).toEqual({ status: 200, body: '{"code":"OK","success":true,"data":{"answer":"pong","version":1}}' });

    // Edit a controller: the new answer is served after "reloaded in N ms".
    let mark = lines.length;
    edit('src/ping.controller.ts', 'version: 1', 'version: 2');
    url = urlOf(await waitFor(/^reloaded in \d+ ms/, mark));
    expect(JSON.parse((await ping(url)).body).data.version).toBe(2);

    // A compile error is printed with file and line; the previous build keeps serving; the fix reloads.
    mark = lines.length;
    edit('src/ping.service.ts', "return 'pong';", "return 'pong'\n    const = ;");
    await waitFor(/^compile error: src\/ping\.service\.ts:7:\d+$/, mark);
    await waitFor(/do not compile; the previous build keeps serving/, mark);
    expect(lines.slice(mark).some((l) => /Stack backtrace/.test(l))).toBe(false);
    expect(JSON.parse((await ping(url)).body).data.answer).toBe('pong');
    mark = lines.length;
    edit('src/ping.service.ts', "return 'pong'\n    const = ;", "return 'pong again';");
    url = urlOf(await waitFor(/^reloaded in \d+ ms/, mark));
    expect(JSON.parse((await ping(url)).body).data.answer).toBe('pong again');

    // A YAML edit adds routes: the controller mounted again under /v2.
    mark = lines.length;
    edit('lokstra.config.yaml', 'controllers: [PingController]', 'controllers: [PingController]\n    groups: [{ prefix: /v2, controllers: [PingController] }]');
    url = urlOf(await waitFor(/^reloaded in \d+ ms/, mark));
    const v2 = await fetch(`${url}/v2/ping`);
    expect(v2.status).toBe(200);

    // A boot error (an unknown controller) is reported and dev keeps waiting; fixing it recovers.
    mark = lines.length;
    edit('lokstra.config.yaml', 'groups: [{ prefix: /v2, controllers: [PingController] }]', 'groups: [{ prefix: /v2, controllers: [PongController] }]');
    await waitFor(/^boot failed: LKS_ERR_ROUTE_CONTROLLER_NOT_FOUND: /, mark);
    mark = lines.length;
    edit('lokstra.config.yaml', 'PongController', 'PingController');
    url = urlOf(await waitFor(/^reloaded in \d+ ms/, mark));
    expect((await ping(url)).status).toBe(200);
  }, 180_000);

  it('stops the app and exits 0 on SIGTERM', async () => {
    expect(dev.exitCode).toBeNull();
    const exited = new Promise<number | null>((r) => dev.once('exit', (code) => r(code)));
    dev.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);
});

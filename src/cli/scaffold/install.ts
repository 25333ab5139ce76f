import { spawn } from 'node:child_process';

/** Runs `npm install` in `dir`, reporting elapsed time every second; resolves with npm's exit code and its last output lines. */
export function npmInstall(dir: string, env: NodeJS.ProcessEnv, progress: (line: string) => void): Promise<{ code: number; tail: string[] }> {
  const npm = env.LOKSTRA_NPM ?? (process.platform === 'win32' ? 'npm.cmd' : 'npm');
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(npm, ['install', '--no-audit', '--no-fund'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let last = '';
    const onData = (d: Buffer): void => {
      output = (output + d.toString()).slice(-8000);
      const line = d.toString().trim().split('\n').pop();
      if (line) last = line.slice(0, 60);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const tick = (): void => progress(`installing dependencies (npm install)… ${Math.round((Date.now() - started) / 1000)}s${last ? `  ${last}` : ''}`);
    tick();
    const timer = setInterval(tick, 1000);
    const done = (code: number): void => {
      clearInterval(timer);
      resolve({ code, tail: output.trim().split('\n').slice(-15) });
    };
    child.on('error', (err) => {
      output += `\n${err.message}`;
      done(127);
    });
    child.on('close', (code) => done(code ?? 1));
  });
}

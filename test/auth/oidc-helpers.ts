import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** Starts the real OpenID Provider (oidc-provider is ESM-only: a child process) and reads its issuer URL. */
export function startProvider(redirectUri: string): Promise<{ issuer: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'fixtures', 'oidc-provider.mjs'), redirectUri], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`oidc-provider did not start: ${out}`)), 20_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve({ issuer: (JSON.parse(out.split('\n')[0] as string) as { issuer: string }).issuer, child });
      }
    });
    child.on('error', reject);
  });
}

/** A cookie jar: name → value, every path (enough for one host per jar). */
export class Jar {
  readonly cookies = new Map<string, string>();
  take(setCookies: string[]): void {
    for (const c of setCookies) {
      const [pair, ...attrs] = c.split(';');
      const eq = (pair as string).indexOf('=');
      const name = (pair as string).slice(0, eq).trim();
      const value = (pair as string).slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1] as string) < Date.now()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** Follows the provider's redirects (login and consent are completed by the fixture) until the app's callback URL. */
export async function followProvider(location: string, issuer: string, callbackPrefix: string): Promise<URL> {
  const op = new Jar();
  let at = location;
  for (let hop = 0; hop < 12; hop++) {
    if (at.startsWith(callbackPrefix)) return new URL(at);
    const res = await fetch(new URL(at, issuer), { redirect: 'manual', headers: { cookie: op.header() } });
    op.take(res.headers.getSetCookie());
    const next = res.headers.get('location');
    if (next === null) throw new Error(`provider stopped at ${at}: ${res.status} ${await res.text()}`);
    at = new URL(next, issuer).toString();
  }
  throw new Error('too many redirects');
}

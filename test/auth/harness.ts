import 'reflect-metadata';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as jose from 'jose';
import { defineModule, Lokstra, type Context, type LokstraHandle, type Logger, type ModuleRef } from '../../src/index';
import type { LokstraConfig } from '../../src/config/index';

export { captureLogger, linesWith, settle } from '../middleware/harness';

/** A 32-byte HS256 secret. */
export const SECRET = 'test-secret-0123456789-abcdefghijklmnop';

/** Handlers the auth tests route to: `whoami` answers ctx.auth. */
export const authHandlers = defineModule({
  name: 'auth-test-handlers',
  handlers: {
    whoami: (ctx: Context) => ctx.ok({ auth: ctx.auth ?? null }),
    ok: (ctx: Context) => ctx.ok('ok'),
  },
});

/** Builds a deployment with the auth test handlers. */
export async function build(config: LokstraConfig, logger: Logger, modules: ModuleRef[] = []): Promise<LokstraHandle> {
  return Lokstra.build(config, { modules: [authHandlers, ...modules], logger });
}

/** One app whose GET /me (whoami) runs the given middleware. */
export function appWith(middleware: unknown[], extra: Record<string, unknown>[] = []): LokstraConfig {
  return {
    server: { global_setting: { log_level: 'error' } },
    apps: [{ name: 'api', address: ':0', routes: [{ method: 'GET', path: '/me', handler: 'whoami', middleware }, ...extra] }],
  } as unknown as LokstraConfig;
}

/** Signs an HS256 token with {@link SECRET} (or the given key/alg), `exp` one hour ahead unless set. */
export async function sign(claims: jose.JWTPayload, opts: { alg?: string; key?: jose.KeyLike | Uint8Array; kid?: string; header?: Record<string, unknown> } = {}): Promise<string> {
  const alg = opts.alg ?? 'HS256';
  const jwt = new jose.SignJWT(claims).setProtectedHeader({ alg, ...(opts.kid === undefined ? {} : { kid: opts.kid }), ...opts.header }).setIssuedAt();
  if (claims.exp === undefined) jwt.setExpirationTime('1h');
  return jwt.sign(opts.key ?? new TextEncoder().encode(SECRET));
}

/** A JWKS endpoint the test controls: the keys it serves, and whether it answers, fails or hangs. */
export class JwksServer {
  keys: jose.JWK[] = [];
  mode: 'ok' | 'error' | 'hang' = 'ok';
  fetches = 0;
  paths: string[] = [];
  private server: Server | undefined;
  private hung: ServerResponse[] = [];

  async start(): Promise<string> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      this.fetches++;
      this.paths.push(req.url ?? '');
      if (this.mode === 'hang') { this.hung.push(res); return; }
      if (this.mode === 'error') { res.writeHead(500).end('down'); return; }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: this.keys }));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/jwks`;
  }

  async stop(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.hung = [];
    if (this.server === undefined) return;
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server!.close(() => r()));
    this.server = undefined;
  }
}

/** A signing key pair with its public JWK (kid set). */
export async function keyPair(alg: string, kid: string): Promise<{ privateKey: jose.KeyLike; publicKey: jose.KeyLike; jwk: jose.JWK; pem: string }> {
  const { privateKey, publicKey } = await jose.generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await jose.exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { privateKey, publicKey, jwk, pem: await jose.exportSPKI(publicKey) };
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LokstraError } from '../errors/lokstra-error';
import { HttpError } from '../errors/http-error';
import { optional } from '../internal/optional';
import { safeLogValue } from '../middleware/log-safety';
import type { FastifyMiddleware, ListenerContext, MiddlewareEnv } from '../middleware/types';

/** What an `on_login` handler receives after a successful authorization-code flow. */
export interface OAuth2Login {
  /** The token endpoint's answer (`access_token`, `id_token`, `refresh_token`, `expires_in`, `scope`…). */
  tokens: Record<string, unknown>;
  /** The verified ID token's claims (`sub`, `email`…); empty without an ID token. */
  claims: Record<string, unknown>;
}

interface Metadata { issuer: string; authorization_endpoint: string; token_endpoint: string; jwks_uri?: string }

type TokenFlow = { getAccessTokenFromAuthorizationCodeFlow(req: FastifyRequest, reply: FastifyReply): Promise<{ token: Record<string, unknown> }> };

// setup gets the configs, build (which runs first, per attachment) the deployment's env: joined by config.
const envs = new WeakMap<object, MiddlewareEnv>();

function invalid(detail: string): LokstraError {
  return new LokstraError('LKS_ERR_MIDDLEWARE_INVALID', { name: 'oauth2', detail });
}

async function fetchMetadata(discoveryUrl: string, timeoutMs: number): Promise<Metadata> {
  const url = discoveryUrl.includes('/.well-known/') ? discoveryUrl : `${discoveryUrl.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
  } catch (err) {
    throw invalid(`cannot read ${url}: ${(err as Error).message}`);
  }
  if (!res.ok) throw invalid(`${url} answered ${res.status}`);
  const meta = await res.json() as Partial<Metadata>;
  if (typeof meta.issuer !== 'string' || typeof meta.authorization_endpoint !== 'string' || typeof meta.token_endpoint !== 'string') {
    throw invalid(`${url} lacks issuer, authorization_endpoint or token_endpoint`);
  }
  return meta as Metadata;
}

function failed(): HttpError {
  return new HttpError(401, 'Login failed', { code: 'UNAUTHORIZED', headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
}

function splitUrl(value: string): { host: string; path: string } {
  const u = new URL(value);
  return { host: u.origin, path: `${u.pathname}${u.search}` };
}

// `callback_uri` is where the provider sends the browser back: absolute, or built from the request.
function callbackUri(config: Record<string, unknown>, callbackPath: string): string | ((req: FastifyRequest) => string) {
  if (typeof config.callback_uri === 'string') return config.callback_uri;
  return (req) => `${req.protocol}://${req.host}${callbackPath}`;
}

async function registerOne(fastify: FastifyInstance, config: Record<string, unknown>, listener: ListenerContext, env: MiddlewareEnv): Promise<void> {
  const onLogin = String(config.on_login);
  if (!listener.hasHandler(onLogin)) throw invalid(`on_login handler '${onLogin}' is not a registered function handler`);
  const startPath = typeof config.start_path === 'string' ? config.start_path : '/auth/login';
  const callbackPath = typeof config.callback_path === 'string' ? config.callback_path : '/auth/callback';
  const meta: Metadata = typeof config.discovery_url === 'string'
    ? await fetchMetadata(config.discovery_url, 5000)
    : { issuer: String(config.issuer ?? ''), authorization_endpoint: String(config.authorize_url), token_endpoint: String(config.token_url), ...(typeof config.jwks_url === 'string' ? { jwks_uri: config.jwks_url } : {}) };
  const authorize = splitUrl(meta.authorization_endpoint);
  const token = splitUrl(meta.token_endpoint);
  const jose = optional.jose();
  const jwks = meta.jwks_uri === undefined ? undefined : jose.createRemoteJWKSet(new URL(meta.jwks_uri), { timeoutDuration: 3000 });
  const clientId = String(config.client_id);
  await fastify.register(async (child) => {
    await child.register(optional.fastifyOAuth2() as never, {
      name: 'lokstraOAuth2',
      scope: Array.isArray(config.scope) ? config.scope.map(String) : String(config.scope ?? 'openid').split(' '),
      credentials: {
        client: { id: clientId, secret: String(config.client_secret ?? '') },
        auth: { authorizeHost: authorize.host, authorizePath: authorize.path, tokenHost: token.host, tokenPath: token.path },
      },
      startRedirectPath: startPath,
      callbackUri: callbackUri(config, callbackPath),
      pkce: 'S256',
      cookie: { path: '/', secure: 'auto', sameSite: 'lax', httpOnly: true },
    });
    const flow = (child as unknown as { lokstraOAuth2: TokenFlow }).lokstraOAuth2;
    child.get(callbackPath, async (req, reply) => {
      let login: OAuth2Login;
      try {
        const { token: tokens } = await flow.getAccessTokenFromAuthorizationCodeFlow(req, reply);
        let claims: Record<string, unknown> = {};
        if (typeof tokens.id_token === 'string' && jwks !== undefined) {
          ({ payload: claims } = await jose.jwtVerify(tokens.id_token, jwks, { issuer: meta.issuer, audience: clientId, clockTolerance: 30 }));
        }
        login = { tokens, claims };
      } catch (err) {
        const e = err as Error & { data?: { payload?: { error?: unknown } } };
        env.logger.info('oauth2: login failed', { requestId: req.id, reason: safeLogValue(String(e.data?.payload?.error ?? e.message).slice(0, 200)) });
        throw failed();
      }
      // The state and verifier cookies are single-use.
      reply.clearCookie('oauth2-redirect-state', { path: '/' }).clearCookie('oauth2-code-verifier', { path: '/' });
      await listener.respond(onLogin, req, reply, login);
      return reply;
    });
  });
}

/**
 * `oauth2`: login with an OAuth2/OIDC provider through @fastify/oauth2 — authorization code with
 * PKCE (S256) and `state` in short-lived cookies. `start_path` redirects to the provider;
 * `callback_path` checks the state, exchanges the code, verifies the ID token (issuer, audience,
 * signature from the provider's JWKS) and answers with the `on_login` handler, called as
 * `(ctx, { tokens, claims })`. A wrong state, a replayed or foreign code, a PKCE mismatch or a bad
 * ID token → 401 `UNAUTHORIZED` (the reason in the log).
 */
export const oauth2: FastifyMiddleware = {
  async setup(fastify, listener) {
    if (!fastify.hasReplyDecorator('setCookie')) await fastify.register(optional.fastifyCookie());
    for (const config of listener.configs) await registerOne(fastify, config, listener, envs.get(config) as MiddlewareEnv);
  },
  build(config, env) {
    if ((config.discovery_url === undefined) === (config.authorize_url === undefined || config.token_url === undefined)) {
      throw invalid('give discovery_url, or authorize_url and token_url');
    }
    envs.set(config, env);
    // The routes are added once per listener by setup; routes under the middleware get nothing.
    return {};
  },
};

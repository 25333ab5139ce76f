import type { LokstraConfig } from '../config/types';
import { LokstraError } from '../errors/lokstra-error';
import { Lokstra, type LokstraHandle, type LokstraOptions } from '../lokstra';
import type { Token } from '../internal/types';
import { createTestAppClient, type TestAppClient, type TestRequestOptions } from './client';
import type { TestResponse } from './envelope';

/** Options of {@link createTestApp}: `Lokstra.build`'s, without signal handling. */
export type TestAppOptions = Omit<LokstraOptions, 'handleSignals'>;

/** A built (not listening) Lokstra deployment for tests. */
export interface TestApp {
  /** The request helper of the app called `name`, or of the first app. @example await t.app('admin').get('/stats') */
  app(name?: string): TestAppClient;
  /** The first app's request helper, or one request to it when given options. @example (await t.request().get('/users/1')).expectOk() */
  request(): TestAppClient;
  request(options: TestRequestOptions | string): Promise<TestResponse>;
  /** A service by class, name or symbol (overrides included). */
  get<T>(token: Token<T>): T;
  /** The underlying handle (routes, container, `listen()` for real-socket tests). */
  readonly handle: LokstraHandle;
  /** Stops services and listeners. Idempotent. */
  close(): Promise<void>;
}

/**
 * Builds a deployment for tests — config (YAML path, directory or object), modules and overrides — with
 * in-process request helpers per app and envelope assertions on every response.
 * @example
 * const t = await createTestApp('lokstra.config.yaml', { modules: [AppModule], overrides: { mailer: fakeMailer } });
 * const user = (await t.request().get('/users/1')).expectOk<User>();
 * (await t.app('admin').get('/nope')).expectError('NOT_FOUND', 404);
 * await t.close();
 */
export async function createTestApp(config?: string | LokstraConfig, options: TestAppOptions = {}): Promise<TestApp> {
  const handle = await Lokstra.build(config, { ...options, handleSignals: false });
  const clients = new Map<string, TestAppClient>();
  const app = (name?: string): TestAppClient => {
    const h = name === undefined ? handle.apps[0] : handle.app(name);
    if (h === undefined) throw new LokstraError('LKS_ERR_CONFIG_APP_NOT_FOUND', { name: '(first app)', known: 'none' });
    let client = clients.get(h.name);
    if (client === undefined) clients.set(h.name, (client = createTestAppClient(h)));
    return client;
  };
  function request(): TestAppClient;
  function request(options: TestRequestOptions | string): Promise<TestResponse>;
  function request(options?: TestRequestOptions | string): TestAppClient | Promise<TestResponse> {
    return options === undefined ? app() : app().request(options);
  }
  return {
    app,
    request,
    get: <T>(token: Token<T>): T => handle.getService(token),
    handle,
    close: () => handle.close(),
  };
}

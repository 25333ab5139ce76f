import type { InjectOptions } from 'fastify';
import type { AppHandle } from '../http/app';
import { toTestResponse, type TestResponse } from './envelope';

/** Options of one test request (light-my-request's, with `body` as an alias of `payload`). */
export interface TestRequestOptions {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  query?: Record<string, string | string[]>;
  /** A JSON-serialisable value, string or Buffer (objects are sent as JSON). */
  body?: unknown;
  cookies?: Record<string, string>;
}

type VerbOptions = Omit<TestRequestOptions, 'method' | 'url' | 'body'>;

/** In-process requests to one app (Fastify's `inject`, no socket), with envelope helpers on every response. */
export interface TestAppClient {
  readonly name: string;
  /** The app's handle (`inject`, `fastify`, `url` after `listen`). */
  readonly handle: AppHandle;
  /** Any request. @example await t.request().request({ method: 'PUT', url: '/x', body: { a: 1 } }) */
  request(options: TestRequestOptions | string): Promise<TestResponse>;
  get(url: string, options?: VerbOptions): Promise<TestResponse>;
  delete(url: string, options?: VerbOptions): Promise<TestResponse>;
  head(url: string, options?: VerbOptions): Promise<TestResponse>;
  options(url: string, options?: VerbOptions): Promise<TestResponse>;
  post(url: string, body?: unknown, options?: VerbOptions): Promise<TestResponse>;
  put(url: string, body?: unknown, options?: VerbOptions): Promise<TestResponse>;
  patch(url: string, body?: unknown, options?: VerbOptions): Promise<TestResponse>;
}

function toInject(o: TestRequestOptions): InjectOptions {
  const out: InjectOptions = { method: (o.method ?? 'GET').toUpperCase() as InjectOptions['method'], url: o.url };
  if (o.headers !== undefined) out.headers = o.headers;
  if (o.query !== undefined) out.query = o.query;
  if (o.cookies !== undefined) out.cookies = o.cookies;
  if (o.body !== undefined) out.payload = o.body as InjectOptions['payload'];
  return out;
}

/** The request helper of one app handle. */
export function createTestAppClient(handle: AppHandle): TestAppClient {
  const request = async (options: TestRequestOptions | string): Promise<TestResponse> =>
    toTestResponse(await handle.inject(toInject(typeof options === 'string' ? { url: options } : options)));
  const verb = (method: string) => (url: string, options: VerbOptions = {}) => request({ ...options, method, url });
  const withBody = (method: string) => (url: string, body?: unknown, options: VerbOptions = {}) => request({ ...options, method, url, body });
  return {
    name: handle.name,
    handle,
    request,
    get: verb('GET'),
    delete: verb('DELETE'),
    head: verb('HEAD'),
    options: verb('OPTIONS'),
    post: withBody('POST'),
    put: withBody('PUT'),
    patch: withBody('PATCH'),
  };
}

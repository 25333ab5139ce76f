import 'reflect-metadata';
import { join } from 'node:path';
import { Lokstra, type AppHandle, type LokstraHandle } from '../../src/index';
import { conduit } from '../../samples/conduit/module';
import { memoryLogger } from '../helpers/memory-logger';

// A contract test for the RealWorld "Conduit" users API (written for Lokstra from the public spec's
// shapes, not copied from its Postman file): plain JSON bodies, 422 {"errors":{…}} on validation,
// every other error as {"errors":{"body":[…]}}, and the requests real clients send (empty JSON bodies).

const CONFIG = join(__dirname, '..', '..', 'samples', 'conduit', 'lokstra.yaml');
const JSON_CT = { 'content-type': 'application/json' };

let h: LokstraHandle;
let app: AppHandle;
beforeAll(async () => {
  h = await Lokstra.build(CONFIG, { modules: [conduit], logger: memoryLogger() });
  app = h.apps[0]!;
});
afterAll(async () => { await h.close(); });

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url, headers: { ...JSON_CT, ...headers }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });

describe('Conduit users contract', () => {
  let token = '';

  it('registers a user: 201 {"user":{email, token, username, bio, image}}', async () => {
    const res = await post('/api/users', { user: { username: 'jake', email: 'jake@jake.jake', password: 'jakejake' } });
    expect(res.statusCode).toBe(201);
    const json = res.json();
    expect(Object.keys(json)).toEqual(['user']);
    expect(json.user).toEqual({ email: 'jake@jake.jake', token: expect.any(String), username: 'jake', bio: null, image: null });
    token = json.user.token;
  });

  it('rejects invalid fields with 422 {"errors":{<field path>:[…]}}', async () => {
    const res = await post('/api/users', { user: { username: '', email: 'not-an-email', password: 'short' } });
    expect(res.statusCode).toBe(422);
    const { errors } = res.json();
    expect(Object.keys(errors).sort()).toEqual(['user.email', 'user.password', 'user.username']);
    for (const messages of Object.values(errors)) expect(messages).toEqual([expect.any(String)]);
  });

  it('rejects a duplicate email with 422 {"errors":{"body":[…]}}', async () => {
    const res = await post('/api/users', { user: { username: 'jake2', email: 'jake@jake.jake', password: 'jakejake' } });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({ errors: { body: ['email has already been taken'] } });
  });

  it('logs in and rejects a wrong password with 401 in the Conduit shape', async () => {
    expect((await post('/api/users/login', { user: { email: 'jake@jake.jake', password: 'jakejake' } })).json().user.token).toBe(token);
    const bad = await post('/api/users/login', { user: { email: 'jake@jake.jake', password: 'nope' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toEqual({ errors: { body: ['email or password is invalid'] } });
  });

  it('answers the current user with a token and 401 with WWW-Authenticate without one', async () => {
    const ok = await app.inject({ method: 'GET', url: '/api/user', headers: { authorization: `Token ${token}` } });
    expect(ok.json().user.username).toBe('jake');
    const anon = await app.inject({ method: 'GET', url: '/api/user' });
    expect(anon.statusCode).toBe(401);
    expect(anon.headers['www-authenticate']).toBe('Token');
    expect(anon.json()).toEqual({ errors: { body: ['missing or invalid token'] } });
  });

  it('updates the user', async () => {
    const res = await app.inject({ method: 'PUT', url: '/api/user', headers: { ...JSON_CT, authorization: `Token ${token}` }, payload: { user: { bio: 'I work at statefarm' } } });
    expect(res.statusCode).toBe(200);
    expect(res.json().user.bio).toBe('I work at statefarm');
  });

  it('accepts Content-Type: application/json with an empty body on a body-less POST (Postman, axios)', async () => {
    const res = await post('/api/user/logout', '', { authorization: `Token ${token}` });
    expect(res.statusCode).toBe(204);
  });

  it('answers an empty body where the user is required with 422 {"errors":{"body":["body is required"]}}', async () => {
    const res = await post('/api/users/login', '');
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({ errors: { body: ['body is required'] } });
  });

  it.each([
    ['an unknown route', { method: 'GET', url: '/api/articles/nope' }, 404],
    ['a wrong method', { method: 'DELETE', url: '/api/users/login' }, 405],
    ['malformed JSON', { method: 'POST', url: '/api/users/login', headers: JSON_CT, payload: '{"user":' }, 400],
    ['JSON sent as a form (curl -d)', { method: 'POST', url: '/api/users/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '{"user":{}}' }, 415],
  ] as const)('answers %s in the Conduit shape', async (_what, req, status) => {
    const res = await app.inject(req as never);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual({ errors: { body: [expect.any(String)] } });
  });
});

import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { Context, defineModule, Lokstra, type LokstraHandle } from '../../src/index';
import { freePort } from '../helpers/net';

const F = join(__dirname, 'fixtures');

describe('mount_htmx', () => {
  let h: LokstraHandle;
  beforeAll(async () => {
    const pages = defineModule({
      name: 'pages',
      handlers: {
        indexData: (ctx: Context) => ctx.htmxPageData('Home <b>', 'The "home" page', { note: '<script>alert(1)</script>' }),
        fragment: (ctx: Context) => (ctx.isHtmx ? ctx.hxTrigger('saved', { id: 1 }).htmx('<p>partial</p>') : ctx.hxRedirect('/')),
        refresh: (ctx: Context) => ctx.hxRefresh(),
      },
    });
    h = await Lokstra.build({
      apps: [{
        name: 'web', address: ':0',
        routes: [
          { method: 'GET', path: '/page-data/index', handler: 'indexData' },
          { method: 'POST', path: '/fragment', handler: 'fragment' },
          { method: 'POST', path: '/refresh', handler: 'refresh' },
        ],
        mount_htmx: [{ prefix: '/', sources: [join(F, 'web')] }],
      }],
    }, { modules: [pages] });
  });
  afterAll(() => h.close());
  const web = () => h.apps[0]!;

  it('renders a full page inside its layout with title, description, layout meta and scripts', async () => {
    const res = await web().inject('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers.vary).toMatch(/HX-Request/);
    expect(res.headers['hx-partial']).toBeUndefined();
    expect(res.body).toContain('<title>Home &#60;b&#62;</title>');
    expect(res.body).toContain('<meta name="ls-layout" content="base.html">');
    expect(res.body).toContain('<meta name="description" content="The &#34;home&#34; page">');
    expect(res.body).toContain('<script src="/_lokstra/htmx/htmx.min.js"></script>');
    expect(res.body.indexOf('<meta charset="utf-8">')).toBeLessThan(res.body.indexOf('ls-layout'));
    expect(res.body).toMatch(/<main>[\s\S]*<h1>Home &lt;b&gt;<\/h1>/);
  });

  it('escapes page data in templates', async () => {
    const res = await web().inject('/');
    expect(res.body).not.toContain('<script>alert(1)</script>');
    expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('renders only the page for htmx requests in the same layout', async () => {
    const res = await web().inject({ url: '/index', headers: { 'hx-request': 'true', 'ls-layout': 'base.html' } });
    expect(res.headers['hx-partial']).toBe('true');
    expect(decodeURIComponent(String(res.headers['ls-title']))).toBe('Home <b>');
    expect(decodeURIComponent(String(res.headers['ls-description']))).toBe('The "home" page');
    expect(res.headers.vary).toMatch(/HX-Request/);
    expect(res.body).not.toContain('<html');
    expect(res.body).toContain('<h1>');
  });

  it('renders the full page when the layout changes (the client then reloads)', async () => {
    const res = await web().inject({ url: '/other', headers: { 'hx-request': 'true', 'ls-layout': 'base.html' } });
    expect(res.headers['hx-partial']).toBeUndefined();
    expect(res.headers['ls-page']).toBe('other.html');
    expect(res.body).toContain('class="other"');
  });

  it('uses empty page data when no /page-data handler exists', async () => {
    const res = await web().inject('/other');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<title></title>');
  });

  it('answers an unknown page with a 404 envelope', async () => {
    const res = await web().inject('/nope');
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('NOT_FOUND');
  });

  it('serves htmx from the htmx.org package and the client script', async () => {
    const lib = await web().inject('/_lokstra/htmx/htmx.min.js');
    expect(lib.statusCode).toBe(200);
    expect(lib.body.length).toBeGreaterThan(10_000);
    const client = await web().inject('/_lokstra/htmx/lokstra-htmx.js');
    expect(client.body).toContain('LS-Layout');
  });

  it('offers the htmx helpers on ctx', async () => {
    const partial = await web().inject({ method: 'POST', url: '/fragment', headers: { 'hx-request': 'true' } });
    expect(partial.body).toBe('<p>partial</p>');
    expect(JSON.parse(String(partial.headers['hx-trigger']))).toEqual({ saved: { id: 1 } });
    expect((await web().inject({ method: 'POST', url: '/fragment' })).headers['hx-redirect']).toBe('/');
    expect((await web().inject({ method: 'POST', url: '/refresh' })).headers['hx-refresh']).toBe('true');
  });
});

describe('mount_reverse_proxy', () => {
  let upstream: Server;
  let upstreamPort: number;
  beforeAll(async () => {
    upstream = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ method: req.method, url: req.url, body, auth: req.headers['x-key'] ?? null }));
      });
    });
    upstreamPort = await freePort();
    await new Promise<void>((r) => upstream.listen(upstreamPort, '127.0.0.1', r));
  });
  afterAll(() => new Promise((r) => upstream.close(r)));

  async function proxy(target: string): Promise<LokstraHandle> {
    return Lokstra.build({ apps: [{ name: 'gw', address: ':0', mount_reverse_proxy: [{ prefix: '/legacy', target }] }] });
  }

  it('strips the prefix, keeps the query and forwards method, headers and body', async () => {
    const h = await proxy(`http://127.0.0.1:${upstreamPort}/base`);
    const get = await h.apps[0]!.inject({ url: '/legacy/users/1?x=2', headers: { 'x-key': 'abc' } });
    expect(get.json()).toEqual({ method: 'GET', url: '/base/users/1?x=2', body: '', auth: 'abc' });
    const post = await h.apps[0]!.inject({ method: 'POST', url: '/legacy/users', payload: { name: 'a' } });
    expect(post.json()).toMatchObject({ method: 'POST', url: '/base/users', body: '{"name":"a"}' });
    await h.close();
  });

  it('answers 502 with an envelope when the upstream is down', async () => {
    const dead = await freePort();
    const h = await proxy(`http://127.0.0.1:${dead}`);
    const res = await h.apps[0]!.inject('/legacy/x');
    expect(res.statusCode).toBe(502);
    expect(res.json()).toEqual({ code: 'BAD_GATEWAY', success: false, message: 'Bad gateway' });
    await h.close();
  });
});

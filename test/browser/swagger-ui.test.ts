import 'reflect-metadata';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Get, Lokstra, Path, Returns, Route, type LokstraHandle } from '../../src/index';
import { UserView } from '../../samples/users-api/views';
import { UsersApiModule } from '../../samples/users-api/module';
import { memoryLogger } from '../helpers/memory-logger';

// Swagger UI of the users-api sample (`openapi:` in lokstra.config.yaml) in a real Chromium: it loads
// from the app alone (no CDN) and lists every operation of the document.

const CHROMIUM = process.env.LOKSTRA_CHROMIUM ?? '/usr/bin/chromium';
const ROOT = join(__dirname, '..', '..');
const OUT = join(ROOT, 'test-output');
const available = existsSync(CHROMIUM);

if (!available) console.warn(`\n*** Browser test: ${CHROMIUM} not found. ${process.env.CI === 'true' ? 'Failing because CI=true.' : 'SKIPPING.'} ***\n`);

@Route('/people')
class PeopleController {
  @Get('/:id') @Returns(UserView) get(@Path('id') id: number): unknown { return { id, name: 'Ada', email: 'ada@example.com' }; }
}

const describeBrowser = available || process.env.CI === 'true' ? describe : describe.skip;

describeBrowser('Swagger UI of the users-api sample in Chromium (playwright-core)', () => {
  let h: LokstraHandle;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let browser: any;

  beforeAll(async () => {
    if (!available) throw new Error(`Chromium is required in CI: ${CHROMIUM} is missing`);
    process.env.PORT = '0';
    process.env.ADMIN_PORT = '0';
    h = await Lokstra.run(join(ROOT, 'lokstra.config.yaml'), { modules: [UsersApiModule], handleSignals: false, logger: memoryLogger() });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { chromium } = require('playwright-core') as typeof import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 60_000);

  afterAll(async () => {
    delete process.env.PORT;
    delete process.env.ADMIN_PORT;
    await browser?.close();
    await h?.close();
  });

  it('loads from the app alone and lists every operation of the document', async () => {
    const page = await browser.newPage();
    const origin = h.app('api').url!.replace('0.0.0.0', '127.0.0.1');
    const requested: string[] = [];
    page.on('request', (r: { url(): string }) => requested.push(r.url()));
    const errors: string[] = [];
    page.on('pageerror', (e: Error) => errors.push(e.message));
    await page.goto(`${origin}/docs`);
    await page.waitForSelector('.opblock', { timeout: 30_000 });
    expect(await page.textContent('.info .title')).toContain('Users API');
    // Evaluated in the page (a string: this project's tsconfig has no DOM types).
    const ops = (await page.evaluate(`[...document.querySelectorAll('.opblock-summary')].map((e) => {
      const method = e.querySelector('.opblock-summary-method')?.textContent ?? '';
      const path = e.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? '';
      return method.trim() + ' ' + path.trim();
    })`)) as string[];
    const doc = (await (await fetch(`${origin}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const expected = Object.entries(doc.paths).flatMap(([p, o]) => Object.keys(o).map((m) => `${m.toUpperCase()} ${p}`));
    expect(ops.sort()).toEqual(expected.sort());
    expect(await page.locator('text=List users, a page at a time').count()).toBeGreaterThan(0);
    expect(requested.filter((u) => !u.startsWith(origin) && !u.startsWith('data:'))).toEqual([]);
    expect(errors).toEqual([]);
    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, 'swagger-ui.png'), fullPage: true });
    await page.close();
  }, 60_000);

  it('renders under security_headers (helmet\'s default content security policy)', async () => {
    const lk = new Lokstra({ logger: memoryLogger(), handleSignals: false });
    lk.app('csp', '127.0.0.1:0').use('security_headers').mount(PeopleController).openapi({ title: 'People' });
    const csp = await lk.run({});
    try {
      const origin = csp.apps[0]!.url!;
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on('console', (m: { type(): string; text(): string }) => { if (m.type() === 'error') violations.push(m.text()); });
      const res = await page.goto(`${origin}/docs`);
      expect(res.headers()['content-security-policy']).toContain("script-src 'self'");
      await page.waitForSelector('.opblock', { timeout: 30_000 });
      expect(await page.textContent('.info .title')).toContain('People');
      expect(violations.filter((v) => /Content Security Policy/i.test(v))).toEqual([]);
      await page.close();
    } finally {
      await csp.close();
    }
  }, 60_000);
});

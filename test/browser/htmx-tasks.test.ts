import 'reflect-metadata';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Lokstra, type LokstraHandle } from '../../src/index';
import { TasksModule } from '../../samples/htmx-tasks/module';

const CHROMIUM = process.env.LOKSTRA_CHROMIUM ?? '/usr/bin/chromium';
const ROOT = join(__dirname, '..', '..');
const OUT = join(ROOT, 'test-output');
const available = existsSync(CHROMIUM);

if (!available) {
  const notice = `\n*** Browser test: ${CHROMIUM} not found (apt-get install -y chromium). ${process.env.CI === 'true' ? 'Failing because CI=true.' : 'SKIPPING.'} ***\n`;
  console.warn(notice);
}

const describeBrowser = available || process.env.CI === 'true' ? describe : describe.skip;

describeBrowser('HTMX sample in a real browser (Chromium via playwright-core)', () => {
  let h: LokstraHandle;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let browser: any;

  beforeAll(async () => {
    if (!available) throw new Error(`Chromium is required in CI: ${CHROMIUM} is missing`);
    h = await Lokstra.run(join(ROOT, 'samples/htmx-tasks/lokstra.yaml'), { modules: [TasksModule], handleSignals: false });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { chromium } = require('playwright-core') as typeof import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('adds a task without a full reload, then reloads fully into another layout with its title', async () => {
    const page = await browser.newPage();
    const url = h.apps[0]!.url!.replace('0.0.0.0', '127.0.0.1');
    await page.goto(url + '/');
    expect(await page.title()).toBe('Tasks');
    await page.evaluate('window.marker = 42');

    await page.fill('input[name=title]', 'Buy <milk>');
    await page.click('button[type=submit]');
    await page.waitForSelector('#tasks li:has-text("Buy <milk>")');
    expect(await page.evaluate('window.marker')).toBe(42);
    expect(await page.locator('#tasks li').count()).toBe(3);

    await page.click('#tasks li:has-text("Buy <milk>") button:has-text("toggle")');
    await page.waitForSelector('#tasks li.done:has-text("Buy <milk>")');
    expect(await page.evaluate('window.marker')).toBe(42);

    await page.click('nav a[href="/stats"]');
    await page.waitForSelector('#summary');
    await page.waitForFunction("document.title === 'Stats'");
    expect(await page.evaluate('window.marker')).toBeUndefined();
    expect(await page.textContent('#summary')).toContain('1 of 3 tasks done');
    expect(await page.getAttribute('meta[name=ls-layout]', 'content')).toBe('plain.html');

    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, 'htmx-stats.png') });
    await page.close();
  }, 60_000);
});

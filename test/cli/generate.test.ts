import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main';
import { names } from '../../src/cli/scaffold/names';
import { registerInModule, registerInYaml } from '../../src/cli/scaffold/register';

// Files and registration edits; that the generated code compiles and its tests pass in a real project
// is checked by test/consumer/templates.mjs (npm run test:consumers).
describe('lokstra generate', () => {
  let tmp: string;
  let dir: string;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'lokstra-gen-'));
    expect((await runCli(['new', 'app', '--template', 'minimal', '--skip-install'], {}, tmp)).code).toBe(0);
    dir = join(tmp, 'app');
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const read = (f: string): string => readFileSync(join(dir, f), 'utf8');

  it('writes a controller and its test, registers it in AppModule and mounts it on the first app', async () => {
    const r = await runCli(['generate', 'controller', 'OrderItems'], {}, dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toEqual([
      'created src/order-items/order-items.controller.ts',
      'created test/order-items.controller.test.ts',
      'updated src/app.module.ts (OrderItemsController)',
      'updated lokstra.config.yaml (OrderItemsController)',
    ]);
    expect(read('src/order-items/order-items.controller.ts')).toContain("@Route('/order-items')\nexport class OrderItemsController");
    expect(read('src/app.module.ts')).toContain("import { OrderItemsController } from './order-items/order-items.controller.js';");
    expect(read('src/app.module.ts')).toContain('controllers: [HelloController, OrderItemsController]');
    expect(read('lokstra.config.yaml')).toContain('controllers: [HelloController, OrderItemsController]');
  });

  it('registers services in services and modules in imports (added when AppModule has none)', async () => {
    expect((await runCli(['generate', 'service', 'stock'], {}, dir)).code).toBe(0);
    expect(read('src/app.module.ts')).toContain('services: [GreetingService, StockService]');
    expect((await runCli(['generate', 'module', 'billing'], {}, dir)).code).toBe(0);
    expect(read('src/app.module.ts')).toMatch(/@Module\(\{\n {2}imports: \[BillingModule\],\n/);
    expect(read('src/billing/billing.module.ts')).toContain("name: 'billing'");
  });

  it('writes a DTO and a test that posts it, without registration', async () => {
    const r = await runCli(['generate', 'dto', 'create-widget'], {}, dir);
    expect(r.stdout).toEqual(['created src/create-widget/create-widget.dto.ts', 'created test/create-widget.dto.test.ts']);
    expect(read('src/create-widget/create-widget.dto.ts')).toContain('export class CreateWidgetDto');
  });

  it('refuses to overwrite, and rejects a bad kind or name with one line and exit 2', async () => {
    const again = await runCli(['generate', 'service', 'stock'], {}, dir);
    expect([again.code, again.stderr]).toEqual([2, ['src/stock/stock.service.ts, test/stock.service.test.ts already exist(s); nothing written']]);
    const kind = await runCli(['generate', 'pipe', 'x'], {}, dir);
    expect([kind.code, kind.stderr]).toEqual([2, ["unknown kind 'pipe'; usage: lokstra generate controller|service|module|dto|gateway <name>"]]);
    expect((await runCli(['generate', 'service', '123'], {}, dir)).stderr[0]).toMatch(/^'123' is not a usable name/);
    expect((await runCli(['generate', 'service'], {}, dir)).code).toBe(2);
  });

  it('declines a gateway when the installed lokstra has no @Gateway (generated code must compile)', async () => {
    const r = await runCli(['generate', 'gateway', 'chat'], {}, dir);
    expect([r.code, r.stderr]).toEqual([1, ['error: this lokstra has no @Gateway (WebSocket gateways); upgrade lokstra to generate one']]);
    expect(existsSync(join(dir, 'src/chat'))).toBe(false);
  });
});

describe('generate helpers', () => {
  it('spells names', () => {
    expect(names('OrderItems')).toEqual({ kebab: 'order-items', pascal: 'OrderItems', camel: 'orderItems' });
    expect(names('order_items')).toEqual(names('order items'));
    expect(names('9lives')).toBeNull();
  });

  it('returns null when there is nothing to register into', () => {
    expect(registerInModule('export class X {}', { key: 'services', className: 'S', importPath: './s.js' })).toBeNull();
    expect(registerInYaml('apps:\n  - name: api\n', 'controllers', 'C')).toBeNull();
  });

  it('fills an empty list', () => {
    expect(registerInYaml('apps:\n  - name: api\n    controllers: []\n', 'controllers', 'C')).toBe('apps:\n  - name: api\n    controllers: [C]\n');
  });
});

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OUTPUT = join(__dirname, '..', '..', '..', 'test-output');

/** Writes a measured figure to `test-output/<area>/<name>.json` (test-output/ is not committed) and returns it. */
export function record<T>(area: string, name: string, value: T): T {
  const dir = join(OUTPUT, area);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(value, null, 2)}\n`);
  return value;
}

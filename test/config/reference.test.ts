import { readFileSync } from 'node:fs';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { generated, BEGIN, END, DOC } = require('../../scripts/config-reference.cjs') as { generated: () => string; BEGIN: string; END: string; DOC: string };

describe('docs/configuration.md', () => {
  it('has a key reference that matches lokstra.schema.json (regenerate with node scripts/config-reference.cjs --write)', () => {
    const doc = readFileSync(DOC, 'utf8');
    const section = doc.slice(doc.indexOf(BEGIN) + BEGIN.length, doc.indexOf(END)).trim();
    expect(section).toBe(generated().trim());
  });

  it('documents every top-level and app key of the schema', () => {
    const reference = generated();
    for (const key of ['server.global_setting.shutdown_timeout', 'services[].depends_on', 'apps[].groups[].load_from', 'apps[].routes[].handler', 'modules[].settings']) {
      expect(reference).toContain(`\`${key}\``);
    }
  });
});

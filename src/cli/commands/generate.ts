import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { findProject } from '../entry/project';
import { CliUsageError, parseArgs, type CliCommand } from '../io';
import { GENERATORS } from '../scaffold/generators';
import { names } from '../scaffold/names';
import { registerInModule, registerInYaml } from '../scaffold/register';

const KINDS = Object.keys(GENERATORS);
const USAGE = `usage: lokstra generate ${KINDS.join('|')} <name>`;

// @Gateway comes with WebSocket support; a lokstra without it would get code that does not compile.
function hasGateway(root: string): boolean {
  try {
    return typeof (createRequire(join(root, 'package.json'))('lokstra') as Record<string, unknown>).Gateway === 'function';
  } catch {
    return false;
  }
}

/** `lokstra generate <kind> <name>`: writes the class and its test, registers it in src/app.module.ts and, for controllers and gateways, in the first app of lokstra.config.yaml. */
export const generateCommand: CliCommand = {
  async run(ctx) {
    const args = parseArgs(ctx.args, { usage: USAGE });
    const [kind, rawName, ...extra] = args.positional;
    if (kind === undefined || rawName === undefined || extra.length > 0) throw new CliUsageError(USAGE);
    const generator = GENERATORS[kind];
    if (generator === undefined) throw new CliUsageError(`unknown kind '${kind}'; ${USAGE}`);
    const n = names(rawName);
    if (n === null) throw new CliUsageError(`'${rawName}' is not a usable name (start with a letter: orders, order-items, OrderItems)`);
    const project = findProject(ctx.cwd);
    if (kind === 'gateway' && !hasGateway(project.root)) {
      ctx.err(`error: this lokstra has no @Gateway (WebSocket gateways); upgrade lokstra to generate one`);
      return 1;
    }
    const gen = generator(n);
    const existing = Object.keys(gen.files).filter((f) => existsSync(join(project.root, f)));
    if (existing.length > 0) throw new CliUsageError(`${existing.join(', ')} already exist(s); nothing written`);
    const edits = new Map<string, string>();
    const manual: string[] = [];
    if (gen.moduleKey !== undefined) {
      const file = join(project.root, 'src', 'app.module.ts');
      const next = existsSync(file) ? registerInModule(readFileSync(file, 'utf8'), { key: gen.moduleKey, className: gen.className, importPath: `./${gen.main}.js` }) : null;
      if (next === null) manual.push(`add ${gen.className} to ${gen.moduleKey} of your @Module (src/app.module.ts not found or has no @Module({ … }))`);
      else edits.set(file, next);
    }
    if (gen.yamlKey !== undefined) {
      const file = join(project.root, 'lokstra.config.yaml');
      const next = existsSync(file) ? registerInYaml(readFileSync(file, 'utf8'), gen.yamlKey, gen.className) : null;
      if (next === null) manual.push(`list ${gen.className} under ${gen.yamlKey}: of an app in your YAML (no "${gen.yamlKey}: [...]" list found in lokstra.config.yaml)`);
      else edits.set(file, next);
    }
    for (const [file, text] of Object.entries(gen.files)) {
      const target = join(project.root, file);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
      ctx.out(`created ${file}`);
    }
    for (const [file, text] of edits) {
      writeFileSync(file, text);
      ctx.out(`updated ${relative(project.root, file)} (${gen.className})`);
    }
    for (const m of manual) ctx.err(`note: ${m}`);
    return 0;
  },
};

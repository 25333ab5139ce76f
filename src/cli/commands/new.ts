import { existsSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { CliUsageError, flag, parseArgs, type CliCommand } from '../io';
import { copyTemplate, isEmptyDir } from '../scaffold/copy-template';
import { npmInstall } from '../scaffold/install';
import { lokstraPackageRoot } from '../scaffold/package-root';
import { projectPackageJson, projectTsconfig } from '../scaffold/project-files';

/** The templates of `lokstra new` (folders under the package's templates/). */
export const TEMPLATES = ['api', 'htmx', 'multi-app', 'minimal'] as const;
const USAGE = 'usage: lokstra new <dir> [--template api|htmx|multi-app|minimal] [--module esm|cjs] [--lokstra <version|path|tarball>] [--skip-install]';

/** The dependency spec for lokstra: a version or range as given; a path or tarball as `file:<absolute path>`. */
export function lokstraSpec(value: string | undefined, cwd: string, version: string): string {
  if (value === undefined) return `^${version}`;
  if (/^(file:|https?:|git\+|npm:)/.test(value)) return value;
  const looksLikePath = value.startsWith('.') || value.startsWith('/') || value.endsWith('.tgz') || existsSync(resolve(cwd, value));
  return looksLikePath ? `file:${resolve(cwd, value)}` : value;
}

function packageName(dir: string): string {
  return basename(dir).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '') || 'lokstra-app';
}

/** `lokstra new <dir>`: writes a project from a template, then installs it (progress shown). */
export const newCommand: CliCommand = {
  async run(ctx) {
    const args = parseArgs(ctx.args, { valued: ['template', 'module', 'lokstra'], booleans: ['skip-install'], usage: USAGE });
    const [dir, ...extra] = args.positional;
    if (dir === undefined || extra.length > 0) throw new CliUsageError(USAGE);
    const template = flag(args, 'template', 'api') as string;
    if (!(TEMPLATES as readonly string[]).includes(template)) throw new CliUsageError(`unknown template '${template}'; templates: ${TEMPLATES.join(', ')}`);
    const moduleType = flag(args, 'module', 'esm') as string;
    if (moduleType !== 'esm' && moduleType !== 'cjs') throw new CliUsageError(`unknown module system '${moduleType}'; use --module esm or --module cjs`);
    const target = resolve(ctx.cwd, dir);
    if (!isEmptyDir(target)) throw new CliUsageError(`${relative(ctx.cwd, target) || target} exists and is not empty; choose a new folder`);

    const pkg = lokstraPackageRoot();
    const name = packageName(target);
    const vars = { PROJECT_NAME: name, PROJECT_SCHEMA: name.replace(/[^a-z0-9]+/g, '_'), TEMPLATE: template };
    const spec = lokstraSpec(flag(args, 'lokstra'), ctx.cwd, pkg.version);
    const started = Date.now();
    const files = [
      ...copyTemplate(join(pkg.root, 'templates', 'common'), target, vars),
      ...copyTemplate(join(pkg.root, 'templates', template), target, vars),
    ];
    writeFileSync(join(target, 'package.json'), projectPackageJson(name, moduleType, spec));
    writeFileSync(join(target, 'tsconfig.json'), projectTsconfig(moduleType));
    ctx.out(`created ${relative(ctx.cwd, target) || '.'} (template ${template}, ${moduleType}, lokstra ${spec}): ${new Set([...files, 'package.json', 'tsconfig.json']).size} files in ${Date.now() - started} ms`);
    if (!args.flags.has('skip-install')) {
      const install = await npmInstall(target, ctx.env, ctx.progress);
      if (install.code !== 0) {
        for (const line of install.tail) ctx.err(line);
        ctx.err(`npm install failed (exit ${install.code}); fix the cause above, then run npm install in ${target}`);
        return 1;
      }
      ctx.out(`installed dependencies in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    const cd = relative(ctx.cwd, target) || '.';
    ctx.out('next:');
    ctx.out(`  cd ${cd}${args.flags.has('skip-install') ? ' && npm install' : ''}`);
    ctx.out('  npm start        # serve');
    ctx.out('  npm test         # the tests in test/');
    ctx.out('  npm run dev      # restart on every change');
    return 0;
  },
};

// Where a server's startup goes: time spent loading each package (inclusive of what it loads, first
// load only), then the boot itself.
//   node dist/startup.js [server.js] [args…]      (default: dist/servers/lokstra.js)
import Module from 'node:module';
import { resolve } from 'node:path';

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
const mod = Module as unknown as { _load: Load };
const original = mod._load;
const totals = new Map<string, number>();
const stack: string[] = [];

function packageOf(request: string, parent: { filename?: string } | undefined): string | undefined {
  if (request.startsWith('node:') || Module.builtinModules.includes(request)) return undefined;
  if (request.startsWith('.') || request.startsWith('/')) {
    const from = parent?.filename ?? '';
    const nm = from.lastIndexOf('node_modules/');
    if (nm < 0) return undefined;
    const rest = from.slice(nm + 13).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const parts = request.split('/');
  return request.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

mod._load = function (request, parent, isMain) {
  const pkg = packageOf(request, parent as { filename?: string });
  const top = pkg !== undefined && !stack.includes(pkg);
  if (!top) return original.call(this, request, parent, isMain);
  stack.push(pkg as string);
  const t0 = process.hrtime.bigint();
  try {
    return original.call(this, request, parent, isMain);
  } finally {
    stack.pop();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    // inclusive time, attributed to the outermost package only once per nesting level
    if (!stack.includes(pkg as string)) totals.set(pkg as string, (totals.get(pkg as string) ?? 0) + ms);
  }
};

const t0 = process.hrtime.bigint();
const file = resolve(process.argv[2] ?? resolve(__dirname, 'servers/lokstra.js'));
process.env.PORT ??= '0';
process.argv.splice(1, 2, file, ...process.argv.slice(3));
// eslint-disable-next-line @typescript-eslint/no-require-imports
require(file);
const loaded = Number(process.hrtime.bigint() - t0) / 1e6;
setTimeout(() => {
  const rows = [...totals.entries()].sort((a, b) => b[1] - a[1]);
  console.log(`require of ${file}: ${loaded.toFixed(0)} ms (synchronous part); per package, inclusive of its own requires (nested packages are also listed under their own name):`);
  for (const [k, v] of rows.slice(0, 30)) console.log(`  ${v.toFixed(1).padStart(7)} ms  ${k}`);
  process.exit(0);
}, 3000);

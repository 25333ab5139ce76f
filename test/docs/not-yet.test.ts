import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as lokstra from '../../src/index';
import { Registry } from '../../src/container/registry';
import { registerBuiltinMiddleware } from '../../src/middleware/index';
import { registerBuiltinServices } from '../../src/services/index';
import schema from '../../src/config/lokstra.schema.json';

// A "## Not yet" list in docs/ promises that a feature is missing. Each bullet names the feature
// in a marker the test can check, and the test fails as soon as the feature exists, so the list
// cannot go stale:
//
//   - Multipart uploads … <!-- not-yet: export UploadedFile; yaml raw_body -->
//
// Markers (any number, `;`-separated; the bullet is stale when ANY of them exists):
//   export NAME          `NAME` is exported by `lokstra`
//   member Class.name    `name` is on the prototype of the exported class `Class`
//   yaml a.b.c           `a`, then `b`, then `c` are nested keys of the config JSON Schema
//   middleware NAME      a built-in middleware is registered under NAME
//   service TYPE         a built-in service factory is registered for TYPE
//   file PATH            PATH exists (relative to the repository root)
// Behaviour that exists but is limited is not "not yet": it goes under "## Known limitations".

const ROOT = join(__dirname, '..', '..');
const NOT_YET = /^##\s+Not yet\s*$/;
const MARKER = /<!--\s*not-yet:\s*([^>]*?)\s*-->/g;

interface Item {
  where: string;
  text: string;
  markers: string[];
}

const registry = new Registry();
registerBuiltinMiddleware(registry);
registerBuiltinServices(registry);

/** Schema nodes reachable from `node` without consuming a key: $ref, items, allOf/anyOf/oneOf. */
function expand(node: unknown, seen = new Set<unknown>()): Record<string, unknown>[] {
  if (node === null || typeof node !== 'object' || seen.has(node)) return [];
  seen.add(node);
  const n = node as Record<string, unknown>;
  const out = [n];
  if (typeof n.$ref === 'string') out.push(...expand(resolveRef(n.$ref), seen));
  if (n.items !== undefined) out.push(...expand(n.items, seen));
  for (const k of ['allOf', 'anyOf', 'oneOf']) for (const s of (n[k] as unknown[] | undefined) ?? []) out.push(...expand(s, seen));
  return out;
}

function resolveRef(ref: string): unknown {
  return ref.replace(/^#\//, '').split('/').reduce<unknown>((n, k) => (n as Record<string, unknown> | undefined)?.[k], schema);
}

/** Every schema object that declares `properties` (the places a YAML key can be). */
function allObjects(node: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (node === null || typeof node !== 'object') return out;
  if (!Array.isArray(node) && 'properties' in node) out.push(node as Record<string, unknown>);
  for (const v of Object.values(node)) allObjects(v, out);
  return out;
}

/** True when `path` (dot-separated) is a chain of nested keys somewhere in the schema. */
function hasYamlKey(path: string): boolean {
  const keys = path.split('.');
  const descend = (nodes: unknown[], i: number): boolean => {
    if (i === keys.length) return true;
    const next = nodes.flatMap((n) => expand(n))
      .map((n) => (n.properties as Record<string, unknown> | undefined)?.[keys[i] as string])
      .filter((n) => n !== undefined);
    return next.length > 0 && descend(next, i + 1);
  };
  return descend(allObjects(schema), 0);
}

/** Whether the feature a marker names exists today. Throws on a malformed marker. */
function exists(marker: string): boolean {
  const [kind, arg, extra] = marker.trim().split(/\s+/);
  if (arg === undefined || extra !== undefined) throw new Error(`malformed marker "${marker}": want "<kind> <name>"`);
  switch (kind) {
    case 'export': return arg in lokstra;
    case 'member': {
      const [cls, name] = arg.split('.');
      const ctor = (lokstra as Record<string, unknown>)[cls ?? ''];
      if (typeof ctor !== 'function' || name === undefined) throw new Error(`marker "${marker}": ${cls} is not an exported class`);
      return name in (ctor.prototype as object);
    }
    case 'yaml': return hasYamlKey(arg);
    case 'middleware': return registry.middlewares.has(arg);
    case 'service': return registry.serviceFactories.has(arg);
    case 'file': return existsSync(join(ROOT, arg));
    default: throw new Error(`marker "${marker}": unknown kind "${kind}"`);
  }
}

/** The top-level bullets of every "## Not yet" section of a Markdown text. */
function notYetItems(file: string, markdown: string): Item[] {
  const items: Item[] = [];
  let inSection = false;
  markdown.split('\n').forEach((line, i) => {
    if (/^#{1,2}\s/.test(line)) inSection = NOT_YET.test(line);
    if (!inSection) return;
    if (/^[-*]\s/.test(line)) items.push({ where: `${file}:${i + 1}`, text: line, markers: [] });
    else if (/^\s+\S/.test(line) && items.length > 0) (items[items.length - 1] as Item).text += ` ${line.trim()}`;
  });
  for (const item of items) {
    item.markers = [...item.text.matchAll(MARKER)].flatMap((m) => (m[1] as string).split(';')).map((s) => s.trim()).filter(Boolean);
  }
  return items;
}

function markdownUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? markdownUnder(path) : path.endsWith('.md') ? [path] : [];
  });
}

const files = [join(ROOT, 'README.md'), ...markdownUnder(join(ROOT, 'docs'))];
const items = files.flatMap((f) => notYetItems(relative(ROOT, f), readFileSync(f, 'utf8')));

describe('"Not yet" lists in README.md and docs/', () => {
  it('finds the lists', () => {
    expect(items.length).toBeGreaterThan(0);
  });

  it.each(items.map((item) => [item.where, item] as const))('%s names its feature in a marker', (_where, item) => {
    expect({ item: item.text, markers: item.markers.length > 0 }).toEqual({ item: item.text, markers: true });
  });

  it.each(items.map((item) => [item.where, item] as const))('%s is not implemented yet (else remove it)', (_where, item) => {
    expect({ item: item.text, existing: item.markers.filter(exists) }).toEqual({ item: item.text, existing: [] });
  });
});

describe('not-yet markers', () => {
  it.each([
    ['export Lokstra', true], ['export NoSuchThing', false],
    ['member Context.hxRedirect', true], ['member Context.noSuchMember', false],
    ['yaml apps.mount_static.prefix', true], ['yaml apps.no_such_key', false],
    ['middleware cors', true], ['middleware no_such_mw', false],
    ['service lokstra.redis', true], ['service lokstra.no_such', false],
    ['file src/index.ts', true], ['file src/no-such.ts', false],
  ])('%s exists: %s', (marker, expected) => {
    expect(exists(marker)).toBe(expected);
  });

  it('rejects malformed markers', () => {
    expect(() => exists('export')).toThrow(/malformed/);
    expect(() => exists('nonsense x')).toThrow(/unknown kind/);
    expect(() => exists('member NoClass.x')).toThrow(/not an exported class/);
  });

  it('reads bullets, their continuation lines and markers, and stops at the next section', () => {
    const md = ['## Not yet', '', '- A <!-- not-yet: export A -->', '- B', '  more <!-- not-yet: file x; yaml y -->', '## Other', '- C'].join('\n');
    expect(notYetItems('x.md', md).map((i) => [i.where, i.markers])).toEqual([['x.md:3', ['export A']], ['x.md:4', ['file x', 'yaml y']]]);
  });
});

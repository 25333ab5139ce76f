// What `npm install lokstra` gives a user: the production dependency tree runs on the Node the
// engines field promises, the decorator libraries are peers (one copy, shared with the user's
// DTOs), and the tarball ships the docs the README links to.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

// semver comes with Fastify (no typings installed); these are the three calls used here.
const semver = createRequire(__filename)('semver') as {
  minVersion(range: string): { version: string } | null;
  satisfies(version: string, range: string): boolean;
  validRange(range: string): string | null;
};

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockEntry>;
};

interface LockEntry {
  version?: string;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

interface PackageJson {
  engines: { node: string };
  files: string[];
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const PEERS = ['reflect-metadata', 'class-validator', 'class-transformer'];

/** Node's lookup: `<from>/node_modules/<name>`, then each parent's node_modules. */
function resolveIn(from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dir.replace(/\/?node_modules\/(@[^/]+\/)?[^/]+$/, '')) {
    const path = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (lock.packages[path] !== undefined) return path;
    if (dir === '') return undefined;
  }
}

/** Every lockfile path a user's `npm install lokstra` installs: dependencies and peers, transitively. */
function productionTree(): string[] {
  const seen = new Set<string>();
  const visit = (from: string, names: string[]): void => {
    for (const name of names) {
      const path = resolveIn(from, name);
      if (path === undefined || seen.has(path)) continue;
      seen.add(path);
      const p = lock.packages[path] as LockEntry;
      visit(path, Object.keys({ ...p.dependencies, ...p.optionalDependencies, ...p.peerDependencies }));
    }
  };
  visit('', Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }));
  return [...seen];
}

describe('package: installing lokstra', () => {
  it('every production dependency supports the oldest Node the engines field allows', () => {
    const oldest = semver.minVersion(pkg.engines.node)?.version;
    expect(oldest).toBe('20.19.0');
    const tree = productionTree();
    expect(tree).toEqual(expect.arrayContaining(['node_modules/fastify', 'node_modules/class-validator']));
    const bad = tree
      .map((path) => [path, lock.packages[path] as LockEntry] as const)
      .filter(([, p]) => p.engines?.node !== undefined && !semver.satisfies(oldest as string, p.engines.node))
      .map(([path, p]) => `${path.replace(/^.*node_modules\//, '')}@${p.version} needs node ${p.engines?.node}`);
    expect(bad).toEqual([]);
  });

  it.each(PEERS)('%s is a peer dependency with a range (and a dev dependency of the repo)', (name) => {
    expect(pkg.dependencies[name]).toBeUndefined();
    const range = pkg.peerDependencies?.[name];
    expect(semver.validRange(range ?? '')).not.toBeNull();
    const dev = semver.minVersion(pkg.devDependencies[name] ?? '')?.version;
    expect(semver.satisfies(dev ?? '', range ?? '')).toBe(true);
  });

  it('the tarball ships docs/ so README links resolve for npm users', () => {
    expect(pkg.files).toEqual(expect.arrayContaining(['dist', 'README.md', 'docs']));
  });
});

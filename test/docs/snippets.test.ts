import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

// The README and docs/*.md show code taken from samples/ and lokstra.config.yaml so it cannot rot
// (STYLE.md, "Comments and docs"). Every ```ts / ```typescript / ```yaml block must appear verbatim
// in one of those files, unless the line before its fence is `<!-- illustrative -->`.

const ROOT = join(__dirname, '..', '..');
const ILLUSTRATIVE = '<!-- illustrative -->';
const CHECKED_LANGS = new Set(['ts', 'typescript', 'yaml', 'yml']);
const DOC_PAGES = ['controllers-and-binding.md', 'responses.md', 'di-and-modules.md', 'apps-and-servers.md', 'principles.md'];

interface Block {
  file: string;
  line: number;
  lang: string;
  text: string;
  illustrative: boolean;
}

/** Trailing whitespace dropped on every line, CRLF made LF, blank lines at both ends removed. */
function normalize(text: string): string {
  return text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.trimEnd()).join('\n').replace(/^\n+|\n+$/g, '');
}

/** The fenced code blocks of a Markdown text, with their language and whether they are marked illustrative. */
function fencedBlocks(file: string, markdown: string): Block[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let open: { line: number; lang: string; fence: string; body: string[]; illustrative: boolean } | undefined;
  lines.forEach((raw, i) => {
    const fence = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(raw);
    if (open === undefined) {
      if (fence === null) return;
      const previous = lines.slice(0, i).reverse().find((l) => l.trim() !== '');
      open = { line: i + 1, lang: (fence[3] ?? '').toLowerCase(), fence: fence[2] as string, body: [], illustrative: previous?.trim() === ILLUSTRATIVE };
      return;
    }
    if (fence !== null && raw.trim() === open.fence) {
      blocks.push({ file, line: open.line, lang: open.lang, text: open.body.join('\n'), illustrative: open.illustrative });
      open = undefined;
      return;
    }
    open.body.push(raw);
  });
  if (open !== undefined) throw new Error(`${file}:${open.line}: unclosed code fence`);
  return blocks;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

// templates/ holds the projects `lokstra new` writes (docs/cli.md and docs/testing.md quote them).
const sources = [...filesUnder(join(ROOT, 'samples')), ...filesUnder(join(ROOT, 'templates')), join(ROOT, 'lokstra.config.yaml')]
  .map((path) => ({ path: relative(ROOT, path), text: normalize(readFileSync(path, 'utf8')) }));

/** The sample file that contains `snippet` verbatim, if any. */
function sourceOf(snippet: string): string | undefined {
  const wanted = normalize(snippet);
  if (wanted === '') return undefined;
  return sources.find((s) => s.text.includes(wanted))?.path;
}

const markdownFiles = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const blocks = markdownFiles.flatMap((file) => fencedBlocks(file, readFileSync(join(ROOT, file), 'utf8')));
const checked = blocks.filter((b) => CHECKED_LANGS.has(b.lang) && !b.illustrative);

describe('code blocks in README.md and docs/*.md', () => {
  it('finds the docs pages and checks at least one verbatim sample block in the README and in each page', () => {
    for (const page of DOC_PAGES) expect(existsSync(join(ROOT, 'docs', page))).toBe(true);
    const withSamples = new Set(checked.map((b) => b.file));
    expect(withSamples.has('README.md')).toBe(true);
    const pagesWithCode = DOC_PAGES.filter((p) => p !== 'principles.md').map((p) => `docs/${p}`);
    expect(pagesWithCode.filter((p) => !withSamples.has(p))).toEqual([]);
  });

  it.each(checked.map((b) => [`${b.file}:${b.line} (${b.lang})`, b] as const))(
    'copies %s verbatim from samples/, templates/ or lokstra.config.yaml',
    (_where, block) => {
      expect({ block: `${block.file}:${block.line}`, source: sourceOf(block.text) ?? 'not found in samples/ or lokstra.config.yaml' })
        .toEqual({ block: `${block.file}:${block.line}`, source: expect.stringMatching(/^(samples\/|templates\/|lokstra\.config\.yaml$)/) });
    },
  );

  it('rejects a block that is not in the samples, and accepts one that differs only in trailing whitespace', () => {
    expect(sourceOf('@Route(\'/users\')\nexport class NotInTheSample {}')).toBeUndefined();
    expect(sourceOf('  @Get(\'/:id\')   \n  get(@Path(\'id\') id: number) {\t\n')).toBe(join('samples', 'users-api', 'controllers.ts'));
  });

  it('treats a block as illustrative only when the marker is on the line before its fence', () => {
    const md = ['<!-- illustrative -->', '```ts', 'a();', '```', '', 'text', '```yaml', 'b: 1', '```'].join('\n');
    expect(fencedBlocks('x.md', md).map((b) => [b.lang, b.illustrative])).toEqual([['ts', true], ['yaml', false]]);
  });
});

describe('README.md', () => {
  const firstScreen = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n').slice(0, 40).join('\n');

  it('shows how to start the sample and run the tests within its first 40 lines', () => {
    expect(firstScreen).toContain('npm install && npm start');
    expect(firstScreen).toMatch(/(^|[^\w:-])npm test([^\w:-]|$)/m);
  });
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/^(```|~~~)[\s\S]*?^\1/gm, '');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => slug(m[1] as string)));
}

describe('links between the docs', () => {
  const links = markdownFiles.flatMap((file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    return [...text.matchAll(/\]\(((?!https?:|mailto:)[^)#\s]*)(?:#([^)\s]*))?\)/g)]
      .map((m) => ({ file, target: m[1] || file.split('/').pop() as string, anchor: m[2] }));
  });

  it.each(links.map((l) => [`${l.file} → ${l.target}${l.anchor ? '#' + l.anchor : ''}`, l] as const))('resolves %s', (_name, link) => {
    const path = join(ROOT, dirname(link.file), link.target);
    const anchorFound = link.anchor === undefined || (existsSync(path) && anchorsOf(path).has(link.anchor));
    expect({ exists: existsSync(path), anchorFound }).toEqual({ exists: true, anchorFound: true });
  });

  it('computes GitHub heading anchors', () => {
    expect(slug('Function handlers: `bind(Dto, fn)`')).toBe('function-handlers-binddto-fn');
    expect(slug('Chaining, in both orders')).toBe('chaining-in-both-orders');
  });
});

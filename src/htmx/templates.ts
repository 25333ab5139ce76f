import { readFileSync, statSync } from 'node:fs';
import { optional } from '../internal/optional';

type Template = (data: unknown) => string;

/**
 * Compiles HTML templates with Handlebars (`{{x}}` is HTML-escaped, `{{{x}}}` is raw) and caches
 * them per file, recompiling when the file changes on disk.
 */
export class TemplateCache {
  private readonly engine = optional.handlebars().create();
  private readonly cache = new Map<string, { mtimeMs: number; template: Template; source: string }>();

  load(file: string): { template: Template; source: string } {
    const { mtimeMs } = statSync(file);
    const hit = this.cache.get(file);
    if (hit && hit.mtimeMs === mtimeMs) return hit;
    const source = readFileSync(file, 'utf8');
    const template = this.engine.compile(source, { strict: false, noEscape: false });
    const entry = { mtimeMs, template, source };
    this.cache.set(file, entry);
    return entry;
  }
}

const LAYOUT_COMMENT = /<!--\s*layout:\s*([\w./-]+)\s*-->/;

/** The layout a page asks for with `<!-- layout: x.html -->`, default `base.html`. */
export function layoutOf(source: string): string {
  return LAYOUT_COMMENT.exec(source)?.[1] ?? 'base.html';
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Script and meta injection points of a full page render. */
export interface Injection {
  title: string;
  description: string;
  layout: string;
  scripts: string[];
  /** The `csrf` middleware's header and a token: a `csrf-token` meta and `hx-headers` on `<body>`, so htmx requests carry it. */
  csrf?: { header: string; token: string };
}

/** Puts `<title>`, the description and `ls-layout` metas at the start of `<head>` and the scripts at its end. */
export function inject(html: string, inj: Injection): string {
  const headStart = `<meta name="ls-layout" content="${escapeHtml(inj.layout)}">`
    + `<meta name="description" content="${escapeHtml(inj.description)}">`
    + `<title>${escapeHtml(inj.title)}</title>`
    + (inj.csrf === undefined ? '' : `<meta name="csrf-token" content="${escapeHtml(inj.csrf.token)}"><meta name="csrf-header" content="${escapeHtml(inj.csrf.header)}">`);
  const headEnd = inj.scripts.map((src) => `<script src="${escapeHtml(src)}"></script>`).join('');
  let out = html.replace(/<title>[\s\S]*?<\/title>/i, '').replace(/<meta\s+name=["']description["'][^>]*>/i, '');
  // After <meta charset> when the layout has one (it must stay within the first 1024 bytes), else at the start of <head>.
  const charset = /<meta\s+charset=[^>]*>/i;
  if (charset.test(out)) out = out.replace(charset, (m) => m + headStart);
  else out = /<head[^>]*>/i.test(out) ? out.replace(/<head[^>]*>/i, (m) => m + headStart) : headStart + out;
  out = /<\/head>/i.test(out) ? out.replace(/<\/head>/i, `${headEnd}</head>`) : out + headEnd;
  if (inj.csrf !== undefined) {
    const headers = escapeHtml(JSON.stringify({ [inj.csrf.header]: inj.csrf.token }));
    out = out.replace(/<body\b([^>]*)>/i, (_m, attrs: string) => `<body${attrs} hx-headers="${headers}">`);
  }
  return out;
}

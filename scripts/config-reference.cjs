#!/usr/bin/env node
// Generates the key reference of docs/configuration.md from src/config/lokstra.schema.json.
// `node scripts/config-reference.cjs` prints it; `--write` replaces the generated section of the
// docs page; test/config/reference.test.ts fails when the two drift apart.
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const SCHEMA = join(__dirname, '..', 'src', 'config', 'lokstra.schema.json');
const DOC = join(__dirname, '..', 'docs', 'configuration.md');
const BEGIN = '<!-- BEGIN GENERATED: node scripts/config-reference.cjs --write -->';
const END = '<!-- END GENERATED -->';

function build(schema) {
  const defOf = (ref) => schema.$defs[ref.replace('#/$defs/', '')];
  const refOf = (node) => node && (node.$ref || (node.allOf && node.allOf.length === 1 && node.allOf[0].$ref));
  const resolve = (node) => (refOf(node) ? { ...resolve(defOf(refOf(node))), description: node.description || resolve(defOf(refOf(node))).description } : node || {});

  function typeOf(node) {
    const ref = refOf(node);
    if (ref === '#/$defs/duration') return 'duration';
    if (ref === '#/$defs/size') return 'size';
    if (ref === '#/$defs/middlewareObject') return 'middleware';
    const n = resolve(node);
    if (n.const !== undefined) return JSON.stringify(n.const);
    if (n.enum) return n.enum.filter((v) => typeof v !== 'string' || v === v.toLowerCase() || !n.enum.includes(v.toLowerCase())).join(' \\| ');
    if (n.oneOf) return n.oneOf.map(typeOf).join(' \\| ');
    if (n.type === 'array') return `list of ${typeOf(n.items)}`;
    if (Array.isArray(n.type)) return n.type.join(' \\| ');
    if (n.type === 'object' && !n.properties) return 'map';
    return n.type || 'any';
  }

  function rowsOf(node, path, seen = new Set()) {
    const rows = [];
    const ref = refOf(node);
    if (ref && seen.has(ref)) return rows;
    const nextSeen = ref ? new Set([...seen, ref]) : seen;
    const n = resolve(node);
    if (n.type === 'array' && n.items) return rowsOf(n.items, `${path}[]`, nextSeen);
    if (!n.properties) return rows;
    const required = new Set(n.required || []);
    for (const [key, child] of Object.entries(n.properties)) {
      if (key === '$schema') continue;
      const full = path ? `${path}.${key}` : key;
      const desc = (resolve(child).description || '').replace(/\|/g, '\\|');
      rows.push(`| \`${full}\` | ${typeOf(child)} | ${required.has(key) ? 'yes' : ''} | ${desc} |`);
      rows.push(...rowsOf(child, full, nextSeen));
    }
    return rows;
  }

  const head = ['| Key | Type | Required | Description |', '|---|---|---|---|'];
  const out = ['### All keys', '', ...head, ...rowsOf(schema, '')];
  const sections = [
    ['Built-in middleware config (`middleware[].config` by `name`)', schema.$defs.middlewareObject.allOf, (c) => c.if.properties.name.const],
    ['Built-in service config (`services[].config` by `type`)', schema.$defs.service.allOf, (c) => [].concat(c.if.properties.type.enum || c.if.properties.type.const)[0]],
  ];
  for (const [title, conds, nameOf] of sections) {
    out.push('', `### ${title}`);
    for (const cond of conds || []) {
      const config = cond.then.properties.config;
      out.push('', `#### \`${nameOf(cond)}\``, '');
      const rows = rowsOf(config, 'config');
      out.push(...(rows.length ? [...head, ...rows] : [config.description || 'Free-form map.']));
    }
  }
  return out.join('\n');
}

function generated() {
  return build(JSON.parse(readFileSync(SCHEMA, 'utf8')));
}

if (require.main === module) {
  const text = generated();
  if (process.argv.includes('--write')) {
    const doc = readFileSync(DOC, 'utf8');
    const a = doc.indexOf(BEGIN);
    const b = doc.indexOf(END);
    if (a < 0 || b < a) throw new Error(`${DOC} lacks the ${BEGIN} … ${END} markers`);
    writeFileSync(DOC, `${doc.slice(0, a + BEGIN.length)}\n${text}\n${doc.slice(b)}`);
  } else {
    process.stdout.write(`${text}\n`);
  }
}

module.exports = { generated, BEGIN, END, DOC };

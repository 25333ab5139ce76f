/**
 * Text edits that register a generated class: in the `@Module({ … })` of src/app.module.ts (an import
 * line and the class in `controllers`/`services`/`imports`/`gateways`) and in the first app of
 * lokstra.config.yaml (`controllers: [...]`/`gateways: [...]`). Each returns the new text, or null when
 * the file does not have the expected shape (the caller prints what to add by hand).
 */
export function registerInModule(source: string, options: { key: string; className: string; importPath: string }): string | null {
  const { key, className, importPath } = options;
  const at = source.indexOf('@Module({');
  if (at === -1) return null;
  const importLine = `import { ${className} } from '${importPath}';\n`;
  const lastImport = source.lastIndexOf('\nimport ', at);
  const insertAt = lastImport === -1 ? 0 : source.indexOf('\n', lastImport + 1) + 1;
  let out = source.slice(0, insertAt) + importLine + source.slice(insertAt);
  const moduleAt = out.indexOf('@Module({');
  const list = new RegExp(`(\\b${key}:\\s*\\[)([^\\]]*)\\]`).exec(out.slice(moduleAt));
  if (list !== null) {
    const start = moduleAt + list.index;
    const items = list[2]?.trim() ?? '';
    const replaced = `${list[1]}${items === '' ? className : `${items.replace(/,\s*$/, '')}, ${className}`}]`;
    out = out.slice(0, start) + replaced + out.slice(start + list[0].length);
  } else {
    out = out.replace('@Module({', `@Module({\n  ${key}: [${className}],`);
  }
  return out;
}

/** Adds the class to the first `<key>: [...]` flow list of the YAML (the first app's), or null when there is none. */
export function registerInYaml(yaml: string, key: 'controllers' | 'gateways', className: string): string | null {
  const m = new RegExp(`^(\\s+${key}:\\s*\\[)([^\\]\\n]*)\\]`, 'm').exec(yaml);
  if (m === null) return null;
  const items = m[2]?.trim() ?? '';
  return yaml.slice(0, m.index) + `${m[1]}${items === '' ? className : `${items}, ${className}`}]` + yaml.slice(m.index + m[0].length);
}

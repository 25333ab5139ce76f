/** One statement of a migration file, with the line it starts on (1-based). */
export interface SqlStatement {
  sql: string;
  line: number;
}

const DOLLAR_TAG = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/;

/**
 * Splits an SQL script on `;` outside quotes ('…', "…", `…`), comments (`--`, `#` for MariaDB,
 * `/* … *\/`) and PostgreSQL dollar quotes (`$$ … $$`, `$tag$ … $tag$`), so each statement runs as
 * one call of a pool (pools run one statement per call) and an error names its line.
 */
export function splitSql(script: string, dialect: 'postgres' | 'mysql' | 'sqlite'): SqlStatement[] {
  const out: SqlStatement[] = [];
  let start = 0;
  let line = 1;
  let startLine = 1;
  let i = 0;
  const push = (end: number): void => {
    const sql = script.slice(start, end).trim();
    if (stripComments(sql).trim() !== '') out.push({ sql, line: startLine + leadingLines(script.slice(start, end)) });
  };
  while (i < script.length) {
    const ch = script[i] as string;
    const next = script[i + 1];
    if (ch === '\n') line++;
    if (ch === '-' && next === '-' || (ch === '#' && dialect === 'mysql')) {
      const end = script.indexOf('\n', i);
      i = end === -1 ? script.length : end;
      continue;
    }
    if (ch === '/' && next === '*') {
      const end = script.indexOf('*/', i + 2);
      const stop = end === -1 ? script.length : end + 2;
      line += count(script.slice(i, stop), '\n');
      i = stop;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') {
      const stop = closeQuote(script, i, ch, dialect === 'mysql');
      line += count(script.slice(i, stop), '\n');
      i = stop;
      continue;
    }
    if (ch === '$' && dialect === 'postgres') {
      const tag = DOLLAR_TAG.exec(script.slice(i));
      if (tag !== null) {
        const end = script.indexOf(tag[0], i + tag[0].length);
        const stop = end === -1 ? script.length : end + tag[0].length;
        line += count(script.slice(i, stop), '\n');
        i = stop;
        continue;
      }
    }
    if (ch === ';' && !insideCompound(script.slice(start, i), dialect)) {
      push(i);
      start = i + 1;
      startLine = line;
    }
    i++;
  }
  push(script.length);
  return out;
}

// A quote is closed by the same character not doubled ('it''s'); MariaDB also escapes with a backslash.
function closeQuote(s: string, from: number, q: string, backslash: boolean): number {
  let i = from + 1;
  while (i < s.length) {
    if (backslash && s[i] === '\\' && q !== '`') {
      i += 2;
      continue;
    }
    if (s[i] === q) {
      if (s[i + 1] === q) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return s.length;
}

// A trigger or routine body (BEGIN … END) holds semicolons of its own (SQLite, MariaDB).
function insideCompound(chunk: string, dialect: string): boolean {
  if (dialect === 'postgres') return false;
  const sql = stripComments(chunk);
  return /^\s*CREATE\b[\s\S]*?\b(TRIGGER|PROCEDURE|FUNCTION|EVENT)\b[\s\S]*\bBEGIN\b/i.test(sql) && !/\bEND\s*$/i.test(sql);
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

// Lines before the statement's first non-blank, non-comment character.
function leadingLines(chunk: string): number {
  const m = /^(\s|--[^\n]*|#[^\n]*|\/\*[\s\S]*?\*\/)*/.exec(chunk);
  return count(m?.[0] ?? '', '\n');
}

function stripComments(sql: string): string {
  return sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, '');
}

import { isAbsolute, relative } from 'node:path';
import type { LineCounter, Node } from 'yaml';
import { yaml } from './yaml-lib';

/** Where a value was written: file and 1-based line:column. */
export interface Position {
  file: string;
  line: number;
  col: number;
}

// Positions are attached to the parsed objects themselves (never a registry of names): each object
// or array maps its keys/indices to where they were written; '' is where the object itself starts.
const POSITIONS = new WeakMap<object, Map<string, Position>>();

function at(node: Node | null | undefined, file: string, lc: LineCounter): Position | undefined {
  const offset = node?.range?.[0];
  if (offset === undefined) return undefined;
  const { line, col } = lc.linePos(offset);
  return { file, line, col };
}

function mapOf(target: object): Map<string, Position> {
  let m = POSITIONS.get(target);
  if (m === undefined) {
    m = new Map();
    POSITIONS.set(target, m);
  }
  return m;
}

/** Records where every key of `value` (the `toJS()` of `node`) was written. */
export function recordPositions(value: unknown, node: unknown, file: string, lc: LineCounter): void {
  if (typeof value !== 'object' || value === null) return;
  const own = at(node as Node, file, lc);
  const map = mapOf(value);
  if (own) map.set('', own);
  const { isMap, isPair, isScalar, isSeq } = yaml();
  if (isMap(node) && !Array.isArray(value)) {
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const pos = at(pair.key as Node, file, lc);
      if (pos) map.set(key, pos);
      recordPositions((value as Record<string, unknown>)[key], pair.value, file, lc);
    }
  } else if (isSeq(node) && Array.isArray(value)) {
    node.items.forEach((item, i) => {
      const pos = at(item as Node, file, lc);
      if (pos) map.set(String(i), pos);
      recordPositions(value[i], item, file, lc);
    });
  }
}

/** Copies positions onto a merged object; array sources are shifted by `offset`. */
export function copyPositions(target: object, source: unknown, offset = 0): void {
  if (typeof source !== 'object' || source === null) return;
  const from = POSITIONS.get(source);
  if (from === undefined) return;
  const to = mapOf(target);
  for (const [k, v] of from) {
    const key = offset !== 0 && /^\d+$/.test(k) ? String(Number(k) + offset) : k;
    to.set(key, v);
  }
}

/** Sets the position of one key (used for values applied from environment overrides). */
export function setPosition(target: object, key: string, pos: Position): void {
  mapOf(target).set(key, pos);
}

/** The position of the value at `path` in `root` (the nearest known ancestor's when unknown). */
export function positionOf(root: unknown, path: readonly (string | number)[]): Position | undefined {
  let node: unknown = root;
  let best: Position | undefined = typeof root === 'object' && root !== null ? POSITIONS.get(root)?.get('') : undefined;
  for (const part of path) {
    if (typeof node !== 'object' || node === null) break;
    const pos = POSITIONS.get(node)?.get(String(part));
    if (pos) best = pos;
    node = (node as Record<string, unknown>)[String(part)];
  }
  return best;
}

/** `file:line:col`, or just the file. */
export function formatPosition(pos: Position | undefined, fallback = 'config'): string {
  if (pos === undefined) return fallback;
  const rel = relative(process.cwd(), pos.file);
  const file = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : pos.file;
  return pos.line > 0 ? `${file}:${pos.line}:${pos.col}` : file;
}

/** The file an object was written in, when known. */
export function fileOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const map = POSITIONS.get(value);
  return map?.get('')?.file ?? map?.values().next().value?.file;
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/i;
const SIZE = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i;
const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const SIZE_BYTES: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** Parses `500ms`, `30s`, `5m`, `1h` or a number of ms; `undefined` for anything else. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = DURATION.exec(value.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * (DURATION_MS[(m[2] ?? 'ms').toLowerCase()] ?? 1));
}

/** Parses `1mb`, `512kb` or a number of bytes; `undefined` for anything else. */
export function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = SIZE.exec(value.trim());
  if (!m) return undefined;
  return Math.floor(Number(m[1]) * (SIZE_BYTES[(m[2] ?? 'b').toLowerCase()] ?? 1));
}

import { statfs } from 'node:fs/promises';
import { resolve } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import type { HealthCheckResult } from './types';

/** Thresholds of the memory check. */
export interface MemoryCheckOptions {
  /** Degraded above this share of V8's heap limit (default 0.9). */
  maxHeapRatio?: number;
  /** Degraded above this resident set size in bytes (default: no limit). */
  maxRss?: number;
}

/** Heap use against V8's limit, and RSS: degraded past the thresholds. */
export function memoryCheck(options: MemoryCheckOptions = {}): () => HealthCheckResult {
  const maxHeapRatio = options.maxHeapRatio ?? 0.9;
  return () => {
    const { rss, heapUsed } = process.memoryUsage();
    const heapLimit = getHeapStatistics().heap_size_limit;
    const ratio = heapUsed / heapLimit;
    const details = { heapUsed, heapLimit, heapRatio: Math.round(ratio * 1000) / 1000, rss };
    if (ratio > maxHeapRatio) return { status: 'degraded', message: `heap above ${maxHeapRatio * 100}% of its limit`, details };
    if (options.maxRss !== undefined && rss > options.maxRss) return { status: 'degraded', message: `rss above ${options.maxRss} bytes`, details };
    return { status: 'healthy', details };
  };
}

/** Options of the disk check. */
export interface DiskCheckOptions {
  /** A path on the file system to watch (default the working directory). */
  path?: string;
  /** Degraded below this many free bytes (default 100 MiB). */
  minFree?: number;
}

/** Free space on the file system holding `path`: degraded below `minFree`. */
export function diskCheck(options: DiskCheckOptions = {}): () => Promise<HealthCheckResult> {
  const path = resolve(options.path ?? '.');
  const minFree = options.minFree ?? 100 * 1024 * 1024;
  return async () => {
    const s = await statfs(path);
    const free = s.bavail * s.bsize;
    const details = { free, total: s.blocks * s.bsize };
    if (free < minFree) return { status: 'degraded', message: `less than ${minFree} bytes free`, details };
    return { status: 'healthy', details };
  };
}

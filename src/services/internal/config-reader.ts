import { parseDuration, parseSize } from '../../config/units';
import { LokstraError } from '../../errors/lokstra-error';

/**
 * Reads one service's `config` map with the checks the JSON Schema does for YAML, because configs
 * given as objects in code are not schema-validated. Errors name `services.<name>.config.<key>`.
 * Unknown keys are rejected, mirroring the schema's `additionalProperties: false`.
 */
export class ConfigReader {
  /** Key path of this map, e.g. `services.db.main.config`. */
  readonly path: string;
  private readonly config: Record<string, unknown>;

  constructor(path: string, config: Record<string, unknown> | undefined, known: readonly string[]) {
    this.path = path;
    this.config = config ?? {};
    for (const key of Object.keys(this.config)) {
      if (!known.includes(key)) this.fail(key, `unknown key; known keys: ${known.join(', ')}`);
    }
  }

  /** Throws the boot error for a key of this service's config. */
  fail(key: string, detail: string): never {
    throw new LokstraError('LKS_ERR_CONFIG_INVALID', { path: `${this.path}.${key}`, detail });
  }

  has(key: string): boolean {
    return this.config[key] !== undefined && this.config[key] !== null;
  }

  raw(key: string): unknown {
    return this.config[key];
  }

  string(key: string): string | undefined;
  string(key: string, fallback: string): string;
  string(key: string, fallback?: string): string | undefined {
    const v = this.config[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'string') this.fail(key, `expected a string, got ${typeof v}`);
    return v;
  }

  int(key: string, fallback: number, min?: number): number;
  int(key: string, fallback: undefined, min?: number): number | undefined;
  int(key: string, fallback: number | undefined, min = 0): number | undefined {
    const v = this.config[key];
    if (v === undefined || v === null) return fallback;
    const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min) this.fail(key, `expected an integer >= ${min}, got ${JSON.stringify(v)}`);
    return n;
  }

  number(key: string, fallback: number, range: [number, number]): number {
    const v = this.config[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < range[0] || v > range[1]) this.fail(key, `expected a number in [${range[0]}, ${range[1]}], got ${JSON.stringify(v)}`);
    return v;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.config[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') this.fail(key, `expected true or false, got ${JSON.stringify(v)}`);
    return v;
  }

  /** A duration in ms (`500ms`, `30s`, `5m` or a number of ms). */
  duration(key: string, fallback: number): number;
  duration(key: string, fallback: undefined): number | undefined;
  duration(key: string, fallback: number | undefined): number | undefined {
    const v = this.config[key];
    if (v === undefined || v === null) return fallback;
    const ms = parseDuration(v);
    if (ms === undefined) this.fail(key, `expected a duration like 500ms, 30s, 5m or a number of ms, got ${JSON.stringify(v)}`);
    return ms;
  }

  /** A size in bytes (`512kb`, `1mb` or a number of bytes). */
  size(key: string, fallback: number | undefined): number | undefined {
    const v = this.config[key];
    if (v === undefined || v === null) return fallback;
    const bytes = parseSize(v);
    if (bytes === undefined) this.fail(key, `expected a size like 512kb, 1mb or a number of bytes, got ${JSON.stringify(v)}`);
    return bytes;
  }

  stringList(key: string): string[] | undefined {
    const v = this.config[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) this.fail(key, 'expected a list of strings');
    return v as string[];
  }

  numberList(key: string): number[] | undefined {
    const v = this.config[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.length === 0 || v.some((s) => typeof s !== 'number' || !Number.isFinite(s))) this.fail(key, 'expected a non-empty list of numbers');
    return v as number[];
  }

  /** A nested map read with its own known keys (errors name `key.sub`). */
  nested(key: string, known: readonly string[]): ConfigReader {
    const v = this.config[key];
    if (v !== undefined && v !== null && (typeof v !== 'object' || Array.isArray(v))) this.fail(key, 'expected a map');
    return new ConfigReader(`${this.path}.${key}`, v as Record<string, unknown> | undefined, known);
  }

  /** A list of maps, each read with its own known keys (errors name `key[i].sub`). */
  list(key: string, known: readonly string[]): ConfigReader[] {
    const v = this.config[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((e) => typeof e !== 'object' || e === null || Array.isArray(e))) this.fail(key, 'expected a list of maps');
    return (v as Record<string, unknown>[]).map((e, i) => new ConfigReader(`${this.path}.${key}[${i}]`, e, known));
  }
}

/** The reader of a service's `config`, errors naming `services.<name>.config.<key>`. */
export function serviceConfig(name: string, config: Record<string, unknown> | undefined, known: readonly string[]): ConfigReader {
  if (config !== undefined && config !== null && (typeof config !== 'object' || Array.isArray(config))) {
    throw new LokstraError('LKS_ERR_CONFIG_INVALID', { path: `services.${name}.config`, detail: 'expected a map' });
  }
  return new ConfigReader(`services.${name}.config`, config, known);
}

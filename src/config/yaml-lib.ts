import type * as Yaml from 'yaml';

let lib: typeof Yaml | undefined;

/** The `yaml` package, loaded on first use: apps configured by an object never load it. */
export function yaml(): typeof Yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  lib ??= require('yaml') as typeof Yaml;
  return lib;
}

import type * as Yaml from 'yaml';
import { optional } from '../internal/optional';

/** The `yaml` package, loaded on first use: apps configured by an object never load it. */
export function yaml(): typeof Yaml {
  return optional.yaml();
}

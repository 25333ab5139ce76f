export { loadConfig, parseYaml, SEARCH_PLACES, type LoadOptions } from './load';
export { validateConfig } from './validate';
export { interpolateString, defaultResolvers, type EnvResolver } from './interpolate';
export { mergeConfigs, deepMerge } from './merge';
export { parseDuration, parseSize } from './units';
export type * from './types';

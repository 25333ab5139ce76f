export { compileDtoSchema } from './document';
export { compileValidation, type ClassPlan, type DirectCheck, type ValidationCompilation } from './validation';
export { EXACT_RULE_NAMES } from './rules';
export type { CompiledDtoSchema, DtoParameter, JsonSchema, NestedRef, RuleSchema, SchemaMode } from './types';
export { bundleDtoSchema, rewriteRefs, type SchemaBundle } from './bundle';

export type { ErrorFormatter, NormalizedError, ErrorContext, ErrorKind, FormattedError, ResponseScope, ScopeOptions } from './types';
export type { ResponseKind } from '../response/response';
export { DEFAULT_SCOPE } from './types';
export { finalizeResponse, isPlainScope, normalize, plainJson, type ErrorOrigin, type FinalizeInput } from './finalize';
export { resolveScope, ScopeIndex, type FormatterLookup, type ScopeLevel } from './scope';

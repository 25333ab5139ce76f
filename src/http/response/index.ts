export { Response, paginationMeta, type Envelope, type PaginationInput, type ResponseKind } from './response';
export { ResponseHelpers } from './helpers';
export { resultToResponse, errorToResponse, genericMessage, type ErrorMapper } from './to-response';
export { sendResponse } from './send';

export { buildOpenApiDocument, type OpenApiDocument, type OpenApiDocumentOptions } from './document';
export { mountOpenApi, OPENAPI_DEFAULTS } from './mount';

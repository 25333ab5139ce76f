// The public names of src/auth/ (re-exported by src/index.ts).
export { Roles, Scopes, Public, Auth } from './decorators';
export { apiKeyHash, type ApiKeyRecord, type ApiKeyStore } from './api-key';
export { routeAuth, type RouteAuth, type AttachmentLike } from './security-schemes';
export type { SessionHandle } from './session-handle';
export type { OAuth2Login } from './oauth2';
export type { AuthInfo } from './types';

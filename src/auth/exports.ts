// The public names of src/auth/ (re-exported by src/index.ts).
export { Roles, Scopes, Public, Auth } from './decorators';
export { apiKeyHash, type ApiKeyRecord, type ApiKeyStore } from './api-key';
export type { AuthInfo } from './types';

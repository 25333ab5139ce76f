import 'reflect-metadata';
import { Lokstra } from '../../src/index';
import { SecureApiModule } from './module';

Lokstra.run('samples/secure-api/lokstra.yaml', { modules: [SecureApiModule] }).catch((err: Error & { code?: string }) => {
  console.error(`${err.code ?? 'error'}: ${err.message}`);
  process.exitCode = 1;
});

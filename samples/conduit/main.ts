import 'reflect-metadata';
import { Lokstra } from '../../src/index';
import { conduit } from './module';

// `npm run sample:conduit`: the Conduit users API on Lokstra, no envelope, Conduit error shape.
Lokstra.run('samples/conduit/lokstra.yaml', { modules: [conduit] }).catch((err: Error & { code?: string }) => {
  console.error(`${err.code ?? 'error'}: ${err.message}`);
  process.exitCode = 1;
});

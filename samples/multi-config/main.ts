import 'reflect-metadata';
import { Lokstra } from '../../src/index';
import { greeter } from './module';

// `npm run sample:multi-config`: every YAML file of ./config merged, plus ./config/<LOKSTRA_ENV>/.
Lokstra.run('samples/multi-config/config', { modules: [greeter] }).catch((err: Error & { code?: string }) => {
  console.error(`${err.code ?? 'error'}: ${err.message}`);
  process.exitCode = 1;
});

import 'reflect-metadata';
import { join } from 'node:path';
import { Lokstra } from '../../src/index';
import { OrdersModule } from './module';

// `npm run sample:orders`: reads samples/orders-pg/lokstra.yaml and serves until SIGINT/SIGTERM.
Lokstra.run(join(__dirname, 'lokstra.yaml'), { modules: [OrdersModule] }).catch((err: Error & { code?: string }) => {
  console.error(`${err.code ?? 'error'}: ${err.message}`);
  process.exitCode = 1;
});

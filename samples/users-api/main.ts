import 'reflect-metadata';
import { Lokstra } from '../../src/index';
import { UsersApiModule } from './module';

// `npm start`: reads lokstra.config.yaml (PORT and ADMIN_PORT override the ports) and serves until SIGINT/SIGTERM.
Lokstra.run('lokstra.config.yaml', { modules: [UsersApiModule] }).catch((err: Error & { code?: string }) => {
  console.error(`${err.code ?? 'error'}: ${err.message}`);
  process.exitCode = 1;
});

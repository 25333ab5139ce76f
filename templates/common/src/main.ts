import 'reflect-metadata';
import { Lokstra } from 'lokstra';
import { AppModule } from './app.module.js';

// Reads lokstra.config.yaml (PORT and the other ${…} variables override it) and serves until SIGINT/SIGTERM.
Lokstra.run('lokstra.config.yaml', { modules: [AppModule] }).catch((err: Error & { code?: string }) => {
  console.error(`${err.code ?? 'error'}: ${err.message}`);
  process.exitCode = 1;
});

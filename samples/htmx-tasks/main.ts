import 'reflect-metadata';
import { Lokstra } from '../../src/index';
import { TasksModule } from './module';

Lokstra.run('samples/htmx-tasks/lokstra.yaml', { modules: [TasksModule] }).catch((err: Error & { code?: string }) => {
  console.error(`${err.code ?? 'error'}: ${err.message}`);
  process.exitCode = 1;
});

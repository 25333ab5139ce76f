import 'reflect-metadata';
import { join } from 'node:path';
import { Lokstra } from '../../src/index';
import { notesModule } from './notes';

// `npm run sample:notes`: run `lokstra migrate up --config samples/notes-sqlite/lokstra.yaml --dir samples/notes-sqlite/migrations/db` first.
Lokstra.run(join(__dirname, 'lokstra.yaml'), { modules: [notesModule] }).catch((err: Error & { code?: string }) => {
  console.error(`${err.code ?? 'error'}: ${err.message}`);
  process.exitCode = 1;
});

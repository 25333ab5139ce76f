import { Module } from 'lokstra';
import { NoteController } from './notes/note.controller.js';
import { NoteService } from './notes/note.service.js';

/** Every controller and service of the app; the database, Redis, metrics and health come from lokstra.config.yaml. */
@Module({
  controllers: [NoteController],
  services: [NoteService],
})
export class AppModule {}

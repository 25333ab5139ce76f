import { Module } from 'lokstra';
import { PageDataController, TaskController } from './tasks.controller.js';
import { TaskService } from './task.service.js';

/** Every controller and service of the app; lokstra.config.yaml mounts the pages in ./web. */
@Module({
  controllers: [TaskController, PageDataController],
  services: [TaskService],
})
export class AppModule {}

import { Module } from '../../src/index';
import { PageDataController, TaskController, TaskService } from './tasks';

@Module({ controllers: [TaskController, PageDataController], services: [TaskService] })
export class TasksModule {}

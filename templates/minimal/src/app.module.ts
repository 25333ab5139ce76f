import { Module } from 'lokstra';
import { GreetingService } from './greeting.service.js';
import { HelloController } from './hello.controller.js';

/** Every controller and service of the app; lokstra.config.yaml says where controllers are served. */
@Module({
  controllers: [HelloController],
  services: [GreetingService],
})
export class AppModule {}

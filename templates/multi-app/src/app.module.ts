import { Module } from 'lokstra';
import { AdminController } from './admin.controller.js';
import { adminToken } from './admin-token.middleware.js';
import { ItemController } from './item.controller.js';
import { ItemService } from './item.service.js';

/** Every controller, service and middleware; lokstra.config.yaml says which app serves which controller. */
@Module({
  controllers: [ItemController, AdminController],
  services: [ItemService],
  middleware: { admin_token: adminToken },
})
export class AppModule {}

import { Module } from '../../src/index';
import { OrderController } from './controllers';
import { OrderService } from './orders';

/** The orders-pg sample: controllers and the order service; pg, Redis, metrics and health come from lokstra.yaml. */
@Module({ controllers: [OrderController], services: [OrderService] })
export class OrdersModule {}

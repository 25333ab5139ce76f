import { defineModule, Module, type Context, type MiddlewareFn } from '../../src/index';
import { AdminController, AdminUserController, OrderController, UserController } from './controllers';
import { adminToken, adminTokenSchema, apiVersion, apiVersionSchema } from './middleware';
import { OrderRepository, UserRepository } from './repositories';

/** Adds `x-response-time` to every response of the routes it wraps. */
function responseTime(config: Record<string, unknown>): MiddlewareFn {
  const header = typeof config.header === 'string' ? config.header : 'x-response-time';
  return async (_ctx: Context, next) => {
    const start = process.hrtime.bigint();
    const res = await next();
    return res.withHeader(header, `${Number(process.hrtime.bigint() - start) / 1e6}ms`);
  };
}

export const sampleExtras = defineModule({
  name: 'sample.extras',
  handlers: { health: (ctx: Context) => ctx.ok({ status: 'up' }) },
  middleware: {
    response_time: responseTime,
    admin_token: { factory: adminToken, priority: 40, configSchema: adminTokenSchema },
    api_version: { fastify: apiVersion, priority: 25, configSchema: apiVersionSchema },
  },
});

@Module({
  imports: [sampleExtras],
  controllers: [UserController, OrderController, AdminController, AdminUserController],
  services: [UserRepository, OrderRepository],
})
export class UsersApiModule {}

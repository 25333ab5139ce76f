// Lokstra: a decorated controller booted with Lokstra.run, as a user writes it.
//   node dist/servers/lokstra.js                 the three routes
//   node dist/servers/lokstra.js --middleware    + the sample's middleware (see SAMPLE_MIDDLEWARE)
//   node dist/servers/lokstra.js --builtins      + the built-ins that Fastify + plugins mirrors (shared/middleware.ts)
//   node dist/servers/lokstra.js --routes=1000   + generated filler controllers, N routes in all
import 'reflect-metadata';
import {
  Body, Context, defineModule, Get, Lokstra, Module, Path, Post, Query, Route, Service,
  type LokstraConfig, type MiddlewareFn,
} from 'lokstra';
import { CreateUserDto } from '../shared/dto';
import { BUILTIN_MIDDLEWARE, CORS_ORIGINS } from '../shared/middleware';
import { portFromEnv } from '../shared/routes';
import { UserStore } from '../shared/users';

@Service()
export class UserService extends UserStore {}

@Route()
export class HelloController {
  @Get('/hello')
  hello() {
    return { message: 'hello' };
  }
}

@Route('/users')
export class UserController {
  constructor(private readonly users: UserService) {}

  @Get('/:id')
  get(@Path('id') id: number, @Query('verbose') verbose?: boolean) {
    return this.users.find(id, verbose);
  }

  @Post('/')
  create(@Body() dto: CreateUserDto, ctx: Context) {
    return ctx.okCreated(this.users.create(dto));
  }
}

@Module({ controllers: [HelloController, UserController], services: [UserService] })
export class BenchModule {}

/**
 * The default middleware of samples/users-api (Lokstra has no built-in middleware yet: the
 * `registerBuiltinMiddleware` of src/middleware is empty). Copied verbatim from samples/users-api/module.ts.
 */
function responseTime(config: Record<string, unknown>): MiddlewareFn {
  const header = typeof config.header === 'string' ? config.header : 'x-response-time';
  return async (_ctx: Context, next) => {
    const start = process.hrtime.bigint();
    const res = await next();
    return res.withHeader(header, `${Number(process.hrtime.bigint() - start) / 1e6}ms`);
  };
}
const sampleExtras = defineModule({ name: 'sample.extras', middleware: { response_time: responseTime } });

const args = process.argv.slice(2);
const withMiddleware = args.includes('--middleware');
const withBuiltins = args.includes('--builtins');
/**
 * The sample's middleware: the built-ins of the `admin` app in lokstra.config.yaml, same order and
 * config, plus the `response_time` of its `api` app. Left out: `admin_token` (it would answer 401) and
 * `api_version` (sample code). With `log_level: warn` the request logger's lines are built but not written.
 */
const SAMPLE_MIDDLEWARE = [
  { name: 'response_time', config: { header: 'x-response-time' } },
  'recovery',
  'request_id',
  'request_logger',
  { name: 'slow_request_logger', config: { threshold: '1s' } },
  { name: 'cors', config: { allowed_origins: CORS_ORIGINS, allow_credentials: true, exposed_headers: ['x-request-id'] } },
  'compression',
  { name: 'body_limit', config: { max_size: '64kb' } },
  'security_headers',
  { name: 'timeout', config: { duration: '5s' } },
];
const routesArg = args.find((a) => a.startsWith('--routes='));
const totalRoutes = routesArg === undefined ? 3 : Number(routesArg.slice('--routes='.length));

// eslint-disable-next-line @typescript-eslint/no-require-imports
const fillers: (new (...a: never[]) => unknown)[] = totalRoutes > 3 ? require(`../gen/scale-${totalRoutes}`).FILLER_CONTROLLERS : [];

const config: LokstraConfig = {
  server: { name: 'bench', global_setting: { log_level: 'warn' } },
  apps: [{
    name: 'bench',
    address: `127.0.0.1:${portFromEnv()}`,
    controllers: [HelloController, UserController, ...fillers],
    middleware: withMiddleware ? SAMPLE_MIDDLEWARE : withBuiltins ? BUILTIN_MIDDLEWARE : [],
  }],
};

const modules = [BenchModule, sampleExtras, ...(fillers.length > 0 ? [defineModule({ name: 'bench.fillers', controllers: fillers as never })] : [])];

Lokstra.run(config, { modules }).catch((err: Error & { code?: string }) => {
  console.error(`${err.code ?? 'error'}: ${err.message}`);
  process.exit(1);
});

import { IsString, MinLength } from 'class-validator';
import { defineModule, HttpError, type Context, type MiddlewareFn } from '../../src/index';

/** Typed settings of the module (YAML `modules[].settings`), validated at boot. */
export class GreeterSettings {
  @IsString() @MinLength(1) default_name!: string;
}

/** A service created from YAML by its factory (`type: sample.greetings`). */
export class Greetings {
  private count = 0;
  constructor(private readonly greeting: string, private readonly punctuation: string) {}

  greet(name: string): string {
    this.count++;
    return `${this.greeting}, ${name}${this.punctuation}`;
  }

  served(): number {
    return this.count;
  }
}

function servedBy(): MiddlewareFn {
  return async (_ctx: Context, next) => (await next()).withHeader('x-served-by', 'greeter');
}

function requireToken(config: Record<string, unknown>): MiddlewareFn {
  return async (ctx: Context, next) => {
    if (ctx.headers['x-admin-token'] !== config.token) throw HttpError.unauthorized('admin token required', 'Token');
    return next();
  };
}

export const greeter = defineModule({
  name: 'greeter',
  settings: GreeterSettings,
  serviceFactories: {
    'sample.greetings': (config) => new Greetings(String(config.greeting), String(config.punctuation ?? '!')),
  },
  middleware: { served_by: servedBy, require_token: requireToken },
  handlers: {
    greet: (ctx: Context) => {
      const settings = ctx.container.get<GreeterSettings>('greeter.settings');
      const greetings = ctx.container.get<Greetings>('greetings');
      return { message: greetings.greet(ctx.params.name ?? settings.default_name) };
    },
    stats: (ctx: Context) => ({ served: ctx.container.get<Greetings>('greetings').served() }),
  },
});

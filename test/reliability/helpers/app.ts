import 'reflect-metadata';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Type } from 'class-transformer';
import {
  IsArray, IsBoolean, IsEmail, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateNested,
} from 'class-validator';
import {
  Accepts, Body, Context, createLogger, defineModule, Get, Lokstra, Module, Path, Post, Query, Route, Service,
  type LokstraConfig, type LokstraHandle,
} from '../../../src/index';
import { freePort } from '../../helpers/net';

/** The static root of the fixture app; `fixtures/secret.txt` sits just outside it. */
export const PUBLIC_DIR = join(__dirname, '..', 'fixtures', 'public');
export const OUTSIDE_SECRET = 'RELIABILITY-OUTSIDE-SECRET';
export const DOTFILE_SECRET = 'RELIABILITY-DOTFILE-SECRET';
/** The credential the `/admin` guard wants in `x-admin-key`. */
export const ADMIN_KEY = 'letmein';

export class CreateUserDto {
  @IsString() @MinLength(2) name!: string;
  @IsEmail() email!: string;
  @IsOptional() @IsInt() @Min(0) @Max(150) age?: number;
}

export class AddressDto {
  @IsString() @MinLength(2) city!: string;
  @IsString() @Matches(/^[A-Z]{2}$/) country!: string;
}

export class ProfileDto {
  @IsString() name!: string;
  @ValidateNested() @Type(() => AddressDto) address!: AddressDto;
}

/** Typed query values: a number, an integer and a boolean (SPEC §4.3). */
export class TypedQuery {
  @Query('n') @IsOptional() @IsNumber() n?: number;
  @Query('i') @IsOptional() @IsInt() i?: number;
  @Query('b') @IsOptional() @IsBoolean() b?: boolean;
}

export class CountDto {
  @IsInt() count!: number;
  @IsOptional() @IsNumber() ratio?: number;
}

/** No explicit size rules: only defaults can bound these. */
export class NoteDto {
  @IsString() text!: string;
  @IsOptional() @IsArray() @IsString({ each: true }) tags?: string[];
}

export class CredentialsDto {
  @IsString() @MinLength(12, { message: '$property is too short: $value' }) password!: string;
}

export class LoginDto {
  @IsString() @MinLength(3) username!: string;
  @IsString() @Matches(/^tok_[a-z0-9]{20}$/, { message: '$property is not a token: $value' }) token!: string;
  @IsString() @MinLength(12, { message: '$property is too short: $value' }) apiKey!: string;
  @ValidateNested() @Type(() => CredentialsDto) credentials!: CredentialsDto;
}

/** What handlers received: a test can prove a handler was (not) called and what reached it. */
@Service()
export class Sink {
  readonly calls = new Map<string, unknown[]>();
  record(route: string, value: unknown): void {
    (this.calls.get(route) ?? this.calls.set(route, []).get(route) as unknown[]).push(value);
  }
  count(route: string): number {
    return this.calls.get(route)?.length ?? 0;
  }
  last(route: string): unknown {
    return this.calls.get(route)?.at(-1);
  }
}

@Route('/')
export class ReliabilityController {
  constructor(private readonly sink: Sink) {}

  @Post('/users')
  create(@Body() dto: CreateUserDto, ctx: Context) {
    this.sink.record('users', dto);
    return ctx.okCreated(dto);
  }

  @Post('/json-only') @Accepts('json')
  jsonOnly(@Body() dto: CreateUserDto, ctx: Context) {
    this.sink.record('json-only', dto);
    return ctx.okCreated(dto);
  }

  @Post('/profiles')
  profile(@Body() dto: ProfileDto) {
    this.sink.record('profiles', dto);
    return dto;
  }

  @Get('/typed')
  typed(q: TypedQuery) {
    this.sink.record('typed', q);
    return { n: q.n, i: q.i, b: q.b };
  }

  @Get('/items/:id')
  item(@Path('id') id: number, @Query('id') qid?: number) {
    this.sink.record('items', id);
    return { id, qid };
  }

  @Get('/search')
  search(@Query('q') q?: string) {
    this.sink.record('search', q);
    return { q };
  }

  @Post('/counts')
  counts(@Body() dto: CountDto) {
    this.sink.record('counts', dto);
    return dto;
  }

  @Post('/notes')
  notes(@Body() dto: NoteDto) {
    this.sink.record('notes', dto);
    return { text: dto.text.length, tags: dto.tags?.length };
  }

  @Post('/login')
  login(@Body() dto: LoginDto) {
    this.sink.record('login', dto);
    return { username: dto.username };
  }

  @Post('/raw')
  raw(@Body() body: unknown) {
    this.sink.record('raw', body);
    return { type: Array.isArray(body) ? 'array' : typeof body };
  }
}

@Module({ controllers: [ReliabilityController], services: [Sink] })
export class ReliabilityModule {}

/** Handlers that misbehave (RELIABILITY.md E), and the guarded `/admin` tree (A). */
export const misbehaving = defineModule({
  name: 'misbehaving',
  handlers: {
    'admin.home': (ctx: Context) => ctx.ok({ area: 'admin' }),
    'admin.users': (ctx: Context) => ctx.ok([{ id: 1, name: 'root' }]),
    echo: (ctx: Context) => ctx.ok({ size: JSON.stringify(ctx.body ?? null).length }),
    'throw.string': () => { throw 'a plain string, not an Error'; },
    'throw.object': () => { throw { message: 'an object literal', statusCode: 200 }; },
    'throw.null': () => { throw null; },
    'throw.crlf': () => { throw new Error('bad\r\n{"level":"info","message":"forged"}\u001b[2J\u2028'); },
    'reject.after.send': async (ctx: Context) => {
      await ctx.reply.code(200).send({ sent: 'first' });
      throw new Error('rejected after the response was sent');
    },
    'send.twice': (ctx: Context) => {
      void ctx.reply.code(200).send({ sent: 'first' });
      void ctx.reply.code(200).send({ sent: 'second' });
      return undefined;
    },
    'send.then.return': (ctx: Context) => {
      void ctx.reply.code(200).send({ sent: 'first' });
      return ctx.ok({ sent: 'second' });
    },
    slow: async (ctx: Context) => {
      await new Promise((r) => setTimeout(r, Number((ctx.query as Record<string, string>).ms ?? 200)));
      return ctx.ok('slow done');
    },
  },
  middleware: {
    guard: () => async (ctx: Context, next: () => Promise<unknown>) => {
      if (ctx.headers['x-admin-key'] !== ADMIN_KEY) return ctx.errorUnauthorized('admin key required', 'Bearer');
      return next();
    },
  },
});

/** Log lines as written by the real winston logger (one JSON object per line). */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  private partial = '';

  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    const text = this.partial + chunk.toString('utf8');
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts.filter((l) => l !== ''));
    done();
  }

  /** Parsed lines (a line that is not one JSON object fails the caller's expectations loudly). */
  json(): Record<string, unknown>[] {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  /** Lines written since `mark`. */
  since(mark: number): Record<string, unknown>[] {
    return this.json().slice(mark);
  }

  mark(): number {
    return this.lines.length;
  }
}

/** A started fixture: the `api` app (guarded, full of routes) and the `open` app (same admin routes, unguarded). */
export interface ReliabilityApp {
  handle: LokstraHandle;
  logs: LogCapture;
  sink: Sink;
  /** Port of `api`. */
  port: number;
  /** Port of `open`, whose `/admin` routes have no guard. */
  openPort: number;
  /** `http://127.0.0.1:<api>/health/live`. */
  live: string;
  inject: LokstraHandle['apps'][number]['inject'];
}

const route = (method: 'GET' | 'POST', path: string, handler: string) => ({ method, path, handler });

/** The fixture config; `settings` go to `server.global_setting`. */
/** Options of the fixture besides `global_setting`. */
export interface FixtureOptions {
  /** Config of the `request_logger` middleware (default: request bodies included). */
  requestLogger?: Record<string, unknown>;
  /** Log format of the captured logger (default json). */
  format?: 'json' | 'text';
}

export function reliabilityConfig(ports: [number, number], settings: Record<string, unknown> = {}, options: FixtureOptions = {}): LokstraConfig {
  return {
    server: { global_setting: { log_level: 'info', ...settings } },
    services: [{ name: 'health', type: 'lokstra.health_check', config: { mount: { apps: ['api', 'open'] } } }],
    apps: [
      {
        name: 'api', address: `127.0.0.1:${ports[0]}`,
        middleware: ['recovery', 'request_id', { name: 'request_logger', config: options.requestLogger ?? { include_request_body: true } }],
        controllers: ['ReliabilityController'],
        routes: [
          route('GET', '/fail/string', 'throw.string'), route('GET', '/fail/object', 'throw.object'), route('GET', '/fail/null', 'throw.null'),
          route('GET', '/fail/crlf', 'throw.crlf'),
          route('GET', '/fail/reject-after-send', 'reject.after.send'), route('GET', '/fail/send-twice', 'send.twice'),
          route('GET', '/fail/send-then-return', 'send.then.return'), route('GET', '/slow', 'slow'),
        ],
        groups: [
          { prefix: '/admin', middleware: ['guard'], routes: [route('GET', '/', 'admin.home'), route('GET', '/users', 'admin.users')] },
          { prefix: '/small', middleware: [{ name: 'body_limit', config: { max_size: '1kb' } }], routes: [route('POST', '/', 'echo')] },
        ],
        mount_static: [{ prefix: '/assets', folder: PUBLIC_DIR }],
      },
      { name: 'open', address: `127.0.0.1:${ports[1]}`, routes: [route('GET', '/admin', 'admin.home'), route('GET', '/admin/users', 'admin.users')] },
    ],
  } as LokstraConfig;
}

/** Starts the fixture on loopback ports. */
export async function startReliabilityApp(settings: Record<string, unknown> = {}, options: FixtureOptions = {}): Promise<ReliabilityApp> {
  const logs = new LogCapture();
  const handle = await Lokstra.run(reliabilityConfig([await freePort(), await freePort()], settings, options), {
    modules: [ReliabilityModule, misbehaving],
    logger: createLogger({ level: 'info', stream: logs, format: options.format ?? 'json' }),
    handleSignals: false,
  });
  const port = Number(new URL(handle.apps[0]?.url ?? '').port);
  const openPort = Number(new URL(handle.apps[1]?.url ?? '').port);
  const api = handle.apps[0] as LokstraHandle['apps'][number];
  return {
    handle, logs, port, openPort, sink: handle.getService(Sink),
    live: `http://127.0.0.1:${port}/health/live`,
    inject: (o) => api.inject(o),
  };
}

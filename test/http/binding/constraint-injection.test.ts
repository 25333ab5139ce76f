import 'reflect-metadata';
import {
  IsEmail, IsString, Validate, ValidatorConstraint, type ValidationArguments, type ValidatorConstraintInterface,
} from 'class-validator';
import { Body, Context, defineModule, Inject, Lokstra, Post, Route, Service, type DbPool, type LokstraHandle } from '../../../src/index';
import { memoryLogger } from '../../helpers/memory-logger';
import { describeWith, PG_URL, uniqueName } from '../../services/helpers/servers';

// SPEC-2 §4: class-validator constraint classes take constructor dependencies from the Lokstra
// container (async allowed) — `@Validate(UniqueEmail)` queries a real PostgreSQL.

const TABLE = uniqueName('emails');

@ValidatorConstraint({ name: 'uniqueEmail', async: true })
class UniqueEmail implements ValidatorConstraintInterface {
  constructor(@Inject('db.main') private readonly db: DbPool) {}
  async validate(email: unknown): Promise<boolean> {
    if (typeof email !== 'string') return false;
    return (await this.db.queryOne(`SELECT 1 FROM ${TABLE} WHERE email = $1`, [email])) === undefined;
  }
  defaultMessage(args: ValidationArguments): string { return `${args.property} is already taken`; }
}

@Service({ name: 'words' })
class BannedWords {
  readonly words = ['spam'];
}

// Sync, with a dependency: still resolved from the container, per request.
@ValidatorConstraint({ name: 'notBanned' })
class NotBanned implements ValidatorConstraintInterface {
  constructor(private readonly banned: BannedWords) {}
  validate(value: unknown): boolean { return typeof value === 'string' && !this.banned.words.some((w) => value.includes(w)); }
  defaultMessage(): string { return 'contains a banned word'; }
}

// Sync, no dependency: created by class-validator as before (the fast path calls it directly).
@ValidatorConstraint({ name: 'lowercase' })
class Lowercase implements ValidatorConstraintInterface {
  validate(value: unknown): boolean { return typeof value === 'string' && value === value.toLowerCase(); }
  defaultMessage(): string { return 'must be lower case'; }
}

class SignupDto {
  @IsEmail() @Validate(UniqueEmail) email!: string;
  @IsString() @Validate(NotBanned) @Validate(Lowercase) handle!: string;
}

class HandleDto {
  @IsString() @Validate(Lowercase) handle!: string;
}

@Route('/signup')
class SignupController {
  constructor(@Inject('db.main') private readonly db: DbPool) {}
  @Post('/') async signup(@Body() dto: SignupDto, ctx: Context): Promise<unknown> {
    await this.db.exec(`INSERT INTO ${TABLE} (email) VALUES ($1)`, [dto.email]);
    return ctx.okCreated({ email: dto.email });
  }
  @Post('/handle') handle(@Body() dto: HandleDto): unknown { return dto; }
}

describeWith(['PostgreSQL'], 'validation constraints resolved from the container', () => {
  let h: LokstraHandle;
  beforeAll(async () => {
    h = await Lokstra.build({
      services: [{ name: 'db.main', type: 'lokstra.dbpool_pg', config: { dsn: PG_URL, max_connections: 2 } }],
      apps: [{ name: 'api', address: ':0', controllers: ['SignupController'] }],
    }, { modules: [defineModule({ name: 'signup', controllers: [SignupController], services: [BannedWords] })], logger: memoryLogger() });
    await h.getService<DbPool>('db.main').exec(`CREATE TABLE ${TABLE} (email text PRIMARY KEY)`);
  });
  afterAll(async () => {
    await h?.getService<DbPool>('db.main').exec(`DROP TABLE IF EXISTS ${TABLE}`);
    await h?.close();
  });

  const post = (url: string, payload: unknown) => h.apps[0]!.inject({ method: 'POST', url, payload: payload as object });

  it('runs an async rule with an injected DbPool against PostgreSQL', async () => {
    const first = await post('/signup', { email: 'ada@example.com', handle: 'ada' });
    expect(first.statusCode).toBe(201);
    const again = await post('/signup', { email: 'ada@example.com', handle: 'ada2' });
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({ code: 'VALIDATION_ERROR', errors: { email: ['email is already taken'] }, meta: { constraints: { email: ['uniqueEmail'] } } });
  });

  it('injects services into sync rules and leaves dependency-free rules to class-validator', async () => {
    const banned = await post('/signup', { email: 'bob@example.com', handle: 'spammer' });
    expect(banned.json()).toMatchObject({ code: 'VALIDATION_ERROR', errors: { handle: ['contains a banned word'] } });
    expect((await post('/signup/handle', { handle: 'Upper' })).json()).toMatchObject({ errors: { handle: ['must be lower case'] } });
    expect((await post('/signup/handle', { handle: 'lower' })).statusCode).toBe(200);
  });

  it('answers concurrent requests, each rule instance from its own request', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => post('/signup', { email: `u${i}@example.com`, handle: `u${i}` })));
    expect(results.map((r) => r.statusCode)).toEqual(Array(8).fill(201));
  });
});

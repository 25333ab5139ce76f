// In-process load for callgrind: boots a Lokstra app with the bench's validated POST /users
// (name ≥ 2 chars, email, age int 0..150) and sends N valid POSTs through inject(), one at a time.
//   node -r ts-node/register/transpile-only bench/scripts/validation-inject.ts <N>
// Run by bench/scripts/callgrind-validation.sh, which subtracts a shorter run (startup cancels).
import 'reflect-metadata';
import { IsEmail, IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { Body, Lokstra, Module, Post, Route } from '../../src/index';

class CreateUserDto {
  @IsString() @MinLength(2) name!: string;
  @IsEmail() email!: string;
  @IsInt() @Min(0) @Max(150) age!: number;
}

@Route('/users')
class UserController {
  private next = 1;
  @Post('/')
  create(@Body() dto: CreateUserDto) {
    return { id: this.next++, ...dto };
  }
}

@Module({ controllers: [UserController] })
class BenchModule {}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 1000);
  const handle = await Lokstra.build({ server: { name: 'bench', global_setting: { log_level: 'warn' } }, apps: [{ name: 'api', address: ':0' }] }, { modules: [BenchModule] });
  const app = handle.apps[0]!;
  const payload = JSON.stringify({ name: 'Ann Lee', email: 'ann@example.com', age: 42 });
  for (let i = 0; i < n; i++) {
    const res = await app.inject({ method: 'POST', url: '/users', headers: { 'content-type': 'application/json' }, payload });
    if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(`unexpected ${res.statusCode}: ${res.body}`);
  }
  await handle.close();
}

main().catch((e) => { console.error(e); process.exit(1); });

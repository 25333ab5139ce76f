// NestJS on its Fastify adapter, with the global ValidationPipe (class-validator).
import 'reflect-metadata';
import {
  Body, Controller, Get, HttpCode, Injectable, Module, Param, ParseBoolPipe, ParseIntPipe, Post, Query, ValidationPipe,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { CreateUserDto } from '../shared/dto';
import { portFromEnv } from '../shared/routes';
import { UserStore } from '../shared/users';

@Injectable()
class UserService extends UserStore {}

@Controller()
class HelloController {
  @Get('hello')
  hello() {
    return { message: 'hello' };
  }
}

@Controller('users')
class UsersController {
  constructor(private readonly users: UserService) {}

  @Get(':id')
  get(@Param('id', ParseIntPipe) id: number, @Query('verbose', new ParseBoolPipe({ optional: true })) verbose?: boolean) {
    return this.users.find(id, verbose);
  }

  @Post()
  @HttpCode(201)
  create(@Body() dto: CreateUserDto) {
    return this.users.create(dto);
  }
}

@Module({ controllers: [HelloController, UsersController], providers: [UserService] })
class AppModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), { logger: ['error', 'warn'] });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, transform: true }));
  app.enableShutdownHooks();
  await app.listen(portFromEnv(), '127.0.0.1');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

import { IsEmail, IsInt, IsString, Max, Min, MinLength } from 'class-validator';

/** The validated POST body, for Lokstra and NestJS (raw Fastify uses the equivalent JSON schema). */
export class CreateUserDto {
  @IsString() @MinLength(2) name!: string;
  @IsEmail() email!: string;
  @IsInt() @Min(0) @Max(150) age!: number;
}

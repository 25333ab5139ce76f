import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsBoolean, IsDate, IsEmail, IsEnum, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min,
  ValidateNested,
} from 'class-validator';
import * as other from './stress-other';
import { Body, Context, Delete, Doc, Get, Header, Path, Post, Put, Query, Returns, Route } from '../../src/index';

// A stress set for the document generator: nesting, arrays, enums, dates, optional/nullable,
// inheritance, recursion and two classes sharing a name.

export enum Role { Admin = 'admin', Member = 'member' }

export class Tag {
  @IsString() @MaxLength(20) label!: string;
}

export class Audited {
  @IsDate() createdAt!: Date;
  @IsOptional() @IsDate() updatedAt?: Date | null;
}

export class Node {
  @IsString() name!: string;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => Node) children?: Node[];
}

export class ProfileView extends Audited {
  @IsUUID() id!: string;
  @IsEmail() email!: string;
  @IsEnum(Role) role!: Role;
  @IsIn([1, 2, 3]) tier!: number;
  @IsBoolean() active!: boolean;
  @ValidateNested({ each: true }) @ArrayMaxSize(5) @Type(() => Tag) tags!: Tag[];
  @IsOptional() @ValidateNested() @Type(() => Node) tree?: Node | null;
}

export class CreateProfile {
  @IsEmail() email!: string;
  @IsEnum(Role) role!: Role;
  @IsOptional() @IsInt() @Min(0) @Max(10) level?: number;
  @Matches(/^[a-z]+$/) handle!: string;
  @ValidateNested({ each: true }) @Type(() => Tag) tags!: Tag[];
}

export class SearchRequest {
  @Query('q') @IsOptional() @IsString() q?: string;
  @Query('limit') @IsOptional() @IsInt() @Min(1) @Max(50) limit?: number;
  @Query('role') @IsOptional() @IsEnum(Role) role?: Role;
  @Header('x-tenant') @IsString() tenant!: string;
}

@Route('/profiles')
@Doc({ tags: ['profiles'] })
export class ProfileController {
  @Get('/') @Returns([ProfileView]) search(ctx: Context, req: SearchRequest): unknown { return ctx.ok([{ req }]); }
  @Get('/:id') @Doc({ summary: 'One profile', deprecated: true }) @Returns(ProfileView) one(@Path('id') id: string): unknown { return { id }; }
  @Post('/') @Returns(ProfileView, { status: 201 }) create(@Body() dto: CreateProfile, ctx: Context): unknown { return ctx.okCreated(dto); }
  @Put('/:id/flags') flags(@Path('id') id: number, @Body('enabled') enabled: boolean, @Query('dry', { required: true }) dry: boolean): unknown { return { id, enabled, dry }; }
  @Delete('/:id') remove(@Path('id') id: number): void { void id; }
}

@Route('/weights')
export class WeightController {
  @Post('/') @Returns(other.Weighted) create(@Body() dto: other.Weighted): unknown { return dto; }
}

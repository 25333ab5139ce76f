import { Type } from 'class-transformer';
import { ArrayMinSize, IsEmail, IsInt, IsOptional, IsString, Max, Min, MinLength, ValidateNested } from 'class-validator';
import { Header, Path, Query } from '../../src/index';

export class CreateUserDto {
  @IsString() @MinLength(2) name!: string;
  @IsEmail() email!: string;
  @IsOptional() @IsInt() @Min(0) @Max(150) age?: number;
}

export class UpdateUserDto {
  @IsOptional() @IsString() @MinLength(2) name?: string;
  @IsOptional() @IsInt() @Min(0) @Max(150) age?: number;
}

/** A Go-style request DTO: every property says where it comes from. */
export class ListUsersRequest {
  @Query('page') @IsOptional() @IsInt() @Min(1) page: number = 1;
  @Query('page_size') @IsOptional() @IsInt() @Min(1) @Max(100) pageSize: number = 10;
  @Query('q') @IsOptional() @IsString() search?: string;
  @Header('x-tenant') @IsOptional() @IsString() tenant?: string;
}

export class OrderItemDto {
  @IsString() sku!: string;
  @IsInt() @Min(1) qty!: number;
}

export class CreateOrderRequest {
  @Path('userId') @IsInt() userId!: number;
  @ValidateNested({ each: true }) @ArrayMinSize(1) @Type(() => OrderItemDto) items!: OrderItemDto[];
}

/** A bulk import from the admin app (its size is capped by the admin app's body_limit). */
export class ImportUsersDto {
  @ValidateNested({ each: true }) @ArrayMinSize(1) @Type(() => CreateUserDto) users!: CreateUserDto[];
}

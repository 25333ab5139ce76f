import { Type } from 'class-transformer';
import { IsArray, IsInt, IsOptional, IsString, ValidateNested } from 'class-validator';

/** What the API sends for a user: `@Returns(UserView)` strips anything else the repository keeps. */
export class UserView {
  @IsInt() id!: number;
  @IsString() name!: string;
  @IsString() email!: string;
  @IsOptional() @IsInt() age?: number;
}

export class OrderItemView {
  @IsString() sku!: string;
  @IsInt() qty!: number;
}

export class OrderView {
  @IsInt() id!: number;
  @IsInt() userId!: number;
  @IsArray() @ValidateNested({ each: true }) @Type(() => OrderItemView) items!: OrderItemView[];
}

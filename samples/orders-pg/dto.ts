import { Type } from 'class-transformer';
import { ArrayMinSize, IsIn, IsInt, IsOptional, IsString, Length, Min, ValidateNested } from 'class-validator';

export class OrderItemDto {
  @IsString() @Length(1, 64) sku!: string;
  @IsInt() @Min(1) qty!: number;
  @IsInt() @Min(0) priceCents!: number;
}

export class CreateOrderDto {
  @IsString() @Length(1, 120) customer!: string;
  /** A client-chosen idempotency reference: unique, a second order with it is a 409. */
  @IsOptional() @IsString() @Length(1, 64) reference?: string;
  @ValidateNested({ each: true }) @ArrayMinSize(1) @Type(() => OrderItemDto) items!: OrderItemDto[];
}

export const ORDER_STATUSES = ['new', 'paid', 'shipped', 'cancelled'] as const;

export class UpdateStatusDto {
  @IsIn(ORDER_STATUSES) status!: (typeof ORDER_STATUSES)[number];
}

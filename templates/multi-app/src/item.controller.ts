import { IsString, MinLength } from 'class-validator';
import { Body, Context, Get, Post, Route } from 'lokstra';
import { ItemService } from './item.service.js';

export class NewItem {
  @IsString() @MinLength(1) name!: string;
}

@Route('/items')
export class ItemController {
  constructor(private readonly items: ItemService) {}

  @Get('/')
  list() {
    return this.items.all();
  }

  @Post('/')
  create(@Body() dto: NewItem, ctx: Context) {
    return ctx.okCreated(this.items.add(dto.name));
  }
}

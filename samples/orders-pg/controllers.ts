import { Body, Context, Get, Patch, Path, Post, Query, Route } from '../../src/index';
import { CreateOrderDto, UpdateStatusDto } from './dto';
import { OrderService } from './orders';

@Route('/orders')
export class OrderController {
  constructor(private readonly orders: OrderService) {}

  @Get('/')
  list(@Query('status') status?: string, @Query('limit') limit?: number) {
    return this.orders.list(status, Math.min(limit ?? 50, 200));
  }

  @Get('/:id')
  async get(@Path('id') id: number, ctx: Context) {
    const { order, cached } = await this.orders.get(id);
    return ctx.ok(order).withHeader('x-cache', cached ? 'hit' : 'miss');
  }

  @Post('/')
  async create(@Body() dto: CreateOrderDto, ctx: Context) {
    return ctx.okCreated(await this.orders.create(dto));
  }

  @Patch('/:id/status')
  async updateStatus(@Path('id') id: number, @Body() dto: UpdateStatusDto, ctx: Context) {
    return ctx.okUpdated(await this.orders.updateStatus(id, dto));
  }
}

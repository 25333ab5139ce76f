import { Body, Context, Delete, Doc, Get, Patch, Path, Post, Returns, Route } from '../../src/index';
import { CreateOrderRequest, CreateUserDto, ImportUsersDto, ListUsersRequest, UpdateUserDto } from './dto';
import { OrderRepository, UserRepository } from './repositories';
import { OrderView, UserView } from './views';

@Doc({ tags: ['users'] })
@Route('/users')
export class UserController {
  constructor(private readonly users: UserRepository) {}

  @Doc({ summary: 'List users, a page at a time' })
  @Returns([UserView])
  @Get('/')
  list(ctx: Context, req: ListUsersRequest) {
    const { items, total } = this.users.list(req.page, req.pageSize, req.search);
    return ctx.okPagination(items, { page: req.page, pageSize: req.pageSize, total });
  }

  @Doc({ summary: 'Find a user', operation_id: 'getUser' })
  @Returns(UserView)
  @Get('/:id')
  get(@Path('id') id: number) {
    return this.users.find(id);
  }

  @Returns(UserView, { status: 201, description: 'The created user' })
  @Post('/')
  create(@Body() dto: CreateUserDto, ctx: Context) {
    return ctx.okCreated(this.users.create(dto));
  }

  @Returns(UserView)
  @Patch('/:id')
  update(@Path('id') id: number, @Body() dto: UpdateUserDto, ctx: Context) {
    return ctx.okUpdated(this.users.update(id, dto));
  }

  @Delete('/:id')
  remove(@Path('id') id: number) {
    this.users.remove(id);
  }
}

@Doc({ tags: ['orders'] })
@Route('/users/:userId/orders')
export class OrderController {
  constructor(private readonly orders: OrderRepository) {}

  @Returns([OrderView])
  @Get('/')
  list(@Path('userId') userId: number, ctx: Context) {
    return ctx.okList(this.orders.forUser(userId));
  }

  @Returns(OrderView, { status: 201 })
  @Post('/')
  create(ctx: Context, req: CreateOrderRequest) {
    return ctx.okCreated(this.orders.create(req.userId, req.items));
  }
}

@Route('/stats')
export class AdminController {
  constructor(private readonly users: UserRepository, private readonly orders: OrderRepository) {}

  @Get('/')
  stats() {
    return { users: this.users.count(), orders: this.orders.count() };
  }
}

/** Bulk import and export of users on the admin app (behind its `admin_token` guard). */
@Route('/users')
export class AdminUserController {
  constructor(private readonly users: UserRepository) {}

  @Post('/import')
  import(@Body() dto: ImportUsersDto, ctx: Context) {
    return ctx.okCreated(dto.users.map((u) => this.users.create(u)));
  }

  @Get('/export')
  export(ctx: Context) {
    const { items } = this.users.list(1, Number.MAX_SAFE_INTEGER);
    return ctx.okList(items);
  }
}

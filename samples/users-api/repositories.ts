import { HttpError, Service } from '../../src/index';

export interface User {
  id: number;
  name: string;
  email: string;
  age?: number;
}

export interface Order {
  id: number;
  userId: number;
  items: { sku: string; qty: number }[];
}

/** An in-memory user store; a real app would use the `lokstra.dbpool_pg` service. */
@Service({ name: 'users.repo' })
export class UserRepository {
  private readonly users = new Map<number, User>();
  private nextId = 1;

  constructor() {
    this.create({ name: 'Ada Lovelace', email: 'ada@example.com', age: 36 });
    this.create({ name: 'Alan Turing', email: 'alan@example.com', age: 41 });
  }

  list(page: number, pageSize: number, search?: string): { items: User[]; total: number } {
    const all = [...this.users.values()].filter((u) => !search || u.name.toLowerCase().includes(search.toLowerCase()));
    return { items: all.slice((page - 1) * pageSize, page * pageSize), total: all.length };
  }

  find(id: number): User {
    const user = this.users.get(id);
    if (!user) throw HttpError.notFound(`user ${id} not found`);
    return user;
  }

  create(data: Omit<User, 'id'>): User {
    if ([...this.users.values()].some((u) => u.email === data.email)) throw HttpError.duplicate(`email ${data.email} is taken`);
    const user = { id: this.nextId++, ...data };
    this.users.set(user.id, user);
    return user;
  }

  /** `null` (which `@IsOptional()` lets through) leaves a field unchanged, like leaving it out. */
  update(id: number, data: Partial<Omit<User, 'id'>>): User {
    const changes = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== null && v !== undefined));
    const user = { ...this.find(id), ...changes };
    this.users.set(id, user);
    return user;
  }

  remove(id: number): void {
    this.find(id);
    this.users.delete(id);
  }

  count(): number {
    return this.users.size;
  }
}

@Service()
export class OrderRepository {
  private readonly orders: Order[] = [];

  constructor(private readonly users: UserRepository) {}

  create(userId: number, items: Order['items']): Order {
    this.users.find(userId);
    const order = { id: this.orders.length + 1, userId, items };
    this.orders.push(order);
    return order;
  }

  forUser(userId: number): Order[] {
    return this.orders.filter((o) => o.userId === userId);
  }

  count(): number {
    return this.orders.length;
  }
}

import type { Counter } from 'prom-client';
import { HttpError, Inject, quoteIdent, Service, type DbPool, type KvStore, type Logger, type MetricsService } from '../../src/index';
import type { CreateOrderDto, UpdateStatusDto } from './dto';

export interface Order {
  id: number;
  customer: string;
  reference: string | null;
  items: { sku: string; qty: number; priceCents: number }[];
  totalCents: number;
  status: string;
  createdAt: string;
}

const COLUMNS = `id::int AS id, customer, reference, items, total_cents AS "totalCents", status, created_at AS "createdAt"`;

/** Orders in PostgreSQL (schema and table created at start), read through a Redis cache. */
@Service({ name: 'orders' })
export class OrderService {
  private readonly created: Counter<'status'>;
  private readonly cacheResults: Counter<'result'>;

  constructor(
    @Inject('db.main') private readonly db: DbPool,
    @Inject('cache') private readonly cache: KvStore,
    @Inject('metrics') metrics: MetricsService,
    @Inject('log') private readonly log: Logger,
  ) {
    this.created = metrics.counter('orders_created_total', 'Orders created.', ['status']);
    this.cacheResults = metrics.counter('orders_cache_total', 'Order cache lookups by result.', ['result']);
  }

  async onStart(): Promise<void> {
    if (this.db.schema !== undefined) await this.db.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.db.schema)}`);
    await this.db.exec(`CREATE TABLE IF NOT EXISTS orders (
      id bigserial PRIMARY KEY,
      customer text NOT NULL,
      reference text UNIQUE,
      items jsonb NOT NULL,
      total_cents integer NOT NULL CHECK (total_cents >= 0),
      status text NOT NULL DEFAULT 'new',
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async list(status: string | undefined, limit: number): Promise<Order[]> {
    return this.db.query<Order>(`SELECT ${COLUMNS} FROM orders WHERE ($1::text IS NULL OR status = $1) ORDER BY id DESC LIMIT $2`, [status ?? null, limit]);
  }

  /** The order and whether it came from the cache. A cache outage degrades to a miss. */
  async get(id: number): Promise<{ order: Order; cached: boolean }> {
    const key = `order:${id}`;
    let cacheUp = true;
    const hit = await this.cache.get<Order>(key).catch((err: Error) => {
      cacheUp = false;
      return this.cacheDown('read', err);
    });
    if (hit !== undefined) {
      this.cacheResults.inc({ result: 'hit' });
      return { order: hit, cached: true };
    }
    if (cacheUp) this.cacheResults.inc({ result: 'miss' });
    const order = await this.db.queryMustOne<Order>(`SELECT ${COLUMNS} FROM orders WHERE id = $1`, [id]);
    // After a failed read, writing would only wait for the same outage a second time.
    if (cacheUp) await this.cache.set(key, order).catch((err: Error) => this.cacheDown('write', err));
    return { order, cached: false };
  }

  async create(dto: CreateOrderDto): Promise<Order> {
    const total = dto.items.reduce((sum, i) => sum + i.qty * i.priceCents, 0);
    const order = await this.db.transaction((tx) => tx.queryMustOne<Order>(
      `INSERT INTO orders (customer, reference, items, total_cents) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [dto.customer, dto.reference ?? null, JSON.stringify(dto.items), total],
    ));
    this.created.inc({ status: order.status });
    return order;
  }

  async updateStatus(id: number, dto: UpdateStatusDto): Promise<Order> {
    const order = await this.db.queryOne<Order>(`UPDATE orders SET status = $2 WHERE id = $1 RETURNING ${COLUMNS}`, [id, dto.status]);
    if (order === undefined) throw HttpError.notFound(`order ${id} not found`);
    await this.cache.delete(`order:${id}`).catch((err: Error) => this.cacheDown('invalidate', err));
    return order;
  }

  private cacheDown(op: string, err: Error): undefined {
    this.cacheResults.inc({ result: 'error' });
    this.log.warn(`order cache ${op} failed; serving from PostgreSQL`, { error: err.message });
    return undefined;
  }
}

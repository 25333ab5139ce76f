import 'reflect-metadata';
import { Kysely, MysqlDialect, PostgresDialect, SqliteDialect, type Generated } from 'kysely';
import { createPool } from 'mysql2';
import { Lokstra, type AnyDbPool, type DbPool, type DbTx, type LokstraHandle, type SqliteDbPool } from '../../src/index';
import { quietLogger } from '../services/helpers/quiet';
import { describeWith, PG_URL, uniqueName } from '../services/helpers/servers';

// The Kysely example of docs/data.md: typed queries, compiled by Kysely, run by Lokstra's pools and
// transactions (so they keep Lokstra's error mapping, cancellation and savepoints).

interface ItemTable { id: Generated<number>; name: string; qty: number }
interface Schema { items: ItemTable }

/** A Kysely used only to build and compile queries for `pool`'s dialect (it never connects). */
function queryBuilder(pool: AnyDbPool): Kysely<Schema> {
  const dialect = pool.dialect === 'postgres' ? new PostgresDialect({ pool: (pool as DbPool).pool })
    : pool.dialect === 'mysql' ? new MysqlDialect({ pool: createPool({}) })
      : new SqliteDialect({ database: (pool as SqliteDbPool).pool });
  return new Kysely<Schema>({ dialect });
}

async function addItem(tx: DbTx<unknown>, db: Kysely<Schema>, name: string, qty: number): Promise<void> {
  const q = db.insertInto('items').values({ name, qty }).compile();
  await tx.exec(q.sql, q.parameters);
}

function kyselySuite(type: string, config: () => Record<string, unknown>, ddl: string, schema?: string): void {
  let h: LokstraHandle;
  afterEach(() => h.close());

  it('runs compiled Kysely queries through the pool and a Lokstra transaction (rolled back on error)', async () => {
    h = await Lokstra.build({ services: [{ name: 'db', type, config: config() }], apps: [] }, { logger: quietLogger() });
    const pool = h.getService<AnyDbPool>('db');
    await pool.exec(ddl);
    const db = queryBuilder(pool);
    const table = schema === undefined ? db : db.withSchema(schema);
    await pool.transaction(async (tx) => {
      await addItem(tx, table, 'apple', 3);
      await addItem(tx, table, 'pear', 5);
    });
    await expect(pool.transaction(async (tx) => {
      await addItem(tx, table, 'plum', 1);
      throw new Error('undo');
    })).rejects.toThrow('undo');
    const q = table.selectFrom('items').select(['name', 'qty']).where('qty', '>', 2).orderBy('name').compile();
    expect((await pool.query(q.sql, q.parameters)).map((r) => ({ ...r, qty: Number(r.qty) }))).toEqual([{ name: 'apple', qty: 3 }, { name: 'pear', qty: 5 }]);
  });
}

describe('Kysely over lokstra.dbpool_sqlite', () => {
  kyselySuite('lokstra.dbpool_sqlite', () => ({ file: ':memory:' }), 'CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER NOT NULL)');
});

describeWith(['PostgreSQL'], 'Kysely over lokstra.dbpool_pg with a tenant schema', () => {
  const tenant = uniqueName('kysely');
  kyselySuite('lokstra.dbpool_pg', () => ({ dsn: PG_URL }), `CREATE SCHEMA "${tenant}" CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL, qty int NOT NULL)`, tenant);
  afterAll(async () => {
    const h = await Lokstra.build({ services: [{ name: 'db', type: 'lokstra.dbpool_pg', config: { dsn: PG_URL } }], apps: [] }, { logger: quietLogger() });
    await h.getService<DbPool>('db').exec(`DROP SCHEMA "${tenant}" CASCADE`);
    await h.close();
  });
});

// Versioned migrations of the store's tables, written once with Kysely's schema builder for
// SQLite and PostgreSQL. They keep their own migration tables, apart from the collaboration
// system's. Never edit a migration that has shipped: add the next one.

import type { Kysely, Migration } from 'kysely';
import { runMigrations, type Storage } from '@vestnik/storage';

const migrations: Record<string, Migration> = {
  '0001_store_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('store_users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('login', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('blocked', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('store_user_roles')
        .addColumn('user_id', 'text', (c) => c.notNull().references('store_users.id'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('store_user_roles_pk', ['user_id', 'role'])
        .execute();
      await db.schema
        .createTable('store_sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('store_users.id'))
        .addColumn('csrf', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('store_sessions_user').on('store_sessions').column('user_id').execute();
      await db.schema
        .createTable('store_catalog_items')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('catalog', 'text', (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('search_text', 'text', (c) => c.notNull())
        .addColumn('price_cents', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('phone', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('address', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('store_catalog_items_code', ['catalog', 'code'])
        .execute();
      await db.schema
        .createIndex('store_catalog_items_name')
        .on('store_catalog_items')
        .columns(['catalog', 'name'])
        .execute();
      await db.schema
        .createTable('store_orders')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('number', 'text', (c) => c.notNull().unique())
        .addColumn('date', 'bigint', (c) => c.notNull())
        .addColumn('customer_id', 'text', (c) => c.references('store_catalog_items.id'))
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('warehouse_id', 'text', (c) => c.references('store_catalog_items.id'))
        .addColumn('courier_id', 'text', (c) => c.references('store_catalog_items.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('posted', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('posted_status', 'text')
        .addColumn('posted_courier_id', 'text')
        .addColumn('total_cents', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('store_orders_courier').on('store_orders').column('courier_id').execute();
      await db.schema.createIndex('store_orders_date').on('store_orders').column('date').execute();
      await db.schema
        .createTable('store_order_items')
        .addColumn('order_id', 'text', (c) => c.notNull().references('store_orders.id'))
        .addColumn('line_no', 'integer', (c) => c.notNull())
        .addColumn('product_id', 'text', (c) => c.notNull().references('store_catalog_items.id'))
        .addColumn('color_id', 'text', (c) => c.references('store_catalog_items.id'))
        .addColumn('size_id', 'text', (c) => c.references('store_catalog_items.id'))
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('price_cents', 'bigint', (c) => c.notNull())
        .addColumn('amount_cents', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('store_order_items_pk', ['order_id', 'line_no'])
        .execute();
      await db.schema
        .createTable('store_stock_movements')
        .addColumn('recorder_id', 'text', (c) => c.notNull().references('store_orders.id'))
        .addColumn('line_no', 'integer', (c) => c.notNull())
        .addColumn('period', 'bigint', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('product_id', 'text', (c) => c.notNull())
        .addColumn('color_id', 'text', (c) => c.notNull())
        .addColumn('size_id', 'text', (c) => c.notNull())
        .addColumn('warehouse_id', 'text', (c) => c.notNull())
        .addColumn('ordered', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('store_stock_movements_pk', ['recorder_id', 'line_no'])
        .execute();
      await db.schema
        .createIndex('store_stock_movements_period')
        .on('store_stock_movements')
        .column('period')
        .execute();
      await db.schema
        .createTable('store_counters')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  // Collaboration tokens name the session they were issued in, by a handle that is not the
  // session's secret id; the gateway asks whether that session is still open (logout revokes).
  '0002_session_handle': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('store_sessions').addColumn('handle', 'text').execute();
      await db.schema
        .createIndex('store_sessions_handle')
        .on('store_sessions')
        .column('handle')
        .unique()
        .execute();
    },
  },
};

/** Brings the store's tables up to the newest version; safe to run on every start. */
export async function migrateStore(storage: Storage): Promise<void> {
  await runMigrations(storage, { table: 'store_migrations', migrations });
}

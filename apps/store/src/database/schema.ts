// The store's own tables, kept in the same database (and the same Kysely instance) as the
// collaboration system's, so that posting and its notification share one transaction.
// Booleans are 0/1 integers, times epoch milliseconds and money integer cents, so one set of
// queries serves SQLite and PostgreSQL.

import type { Kysely } from 'kysely';
import type { CollabDatabase } from '@vestnik/collab';

export type Role = 'Administrator' | 'Manager' | 'Courier';
export const roles: readonly Role[] = ['Administrator', 'Manager', 'Courier'];

export type OrderStatus = 'New' | 'InWork' | 'Done';
export const orderStatuses: readonly OrderStatus[] = ['New', 'InWork', 'Done'];

export type CatalogName = 'products' | 'colors' | 'sizes' | 'warehouses' | 'customers' | 'couriers';

export interface StoreUserTable {
  id: string;
  /** Lower-cased; the Couriers catalog's code refers to it. */
  login: string;
  name: string;
  password_hash: string;
  blocked: number;
  created_at: number;
  updated_at: number;
}

export interface StoreUserRoleTable {
  user_id: string;
  role: Role;
}

export interface StoreSessionTable {
  id: string;
  user_id: string;
  csrf: string;
  /** A public handle of the session, put in collaboration tokens so that they die at logout. */
  handle: string | null;
  created_at: number;
  expires_at: number;
}

/** One table for all catalogs: they share id, code and name, and differ in a few columns. */
export interface StoreCatalogItemTable {
  id: string;
  catalog: CatalogName;
  code: string;
  name: string;
  /** Lower-cased code and name, for case-insensitive search on both dialects. */
  search_text: string;
  price_cents: number;
  phone: string;
  address: string;
  created_at: number;
  updated_at: number;
}

export interface StoreOrderTable {
  id: string;
  number: string;
  date: number;
  customer_id: string | null;
  address: string;
  warehouse_id: string | null;
  courier_id: string | null;
  status: OrderStatus;
  comment: string;
  posted: number;
  /** Status and courier as of the last posting: what notifications compare against. */
  posted_status: OrderStatus | null;
  posted_courier_id: string | null;
  total_cents: number;
  created_at: number;
  updated_at: number;
}

export interface StoreOrderItemTable {
  order_id: string;
  line_no: number;
  product_id: string;
  color_id: string | null;
  size_id: string | null;
  quantity: number;
  price_cents: number;
  amount_cents: number;
}

/** The accumulation register ProductStock; the recorder is the order that wrote the movement. */
export interface StoreStockMovementTable {
  recorder_id: string;
  line_no: number;
  period: number;
  kind: 'receipt' | 'expense';
  product_id: string;
  color_id: string;
  size_id: string;
  warehouse_id: string;
  ordered: number;
}

export interface StoreCounterTable {
  name: string;
  value: number;
}

/** A type, not an interface: Kysely's withTables wants an index-compatible record. */
export type StoreTables = {
  store_users: StoreUserTable;
  store_user_roles: StoreUserRoleTable;
  store_sessions: StoreSessionTable;
  store_catalog_items: StoreCatalogItemTable;
  store_orders: StoreOrderTable;
  store_order_items: StoreOrderItemTable;
  store_stock_movements: StoreStockMovementTable;
  store_counters: StoreCounterTable;
};

export type StoreDatabase = CollabDatabase & StoreTables;

/** The database or an open transaction: every store query takes one of these. */
export type StoreDb = Kysely<StoreDatabase>;

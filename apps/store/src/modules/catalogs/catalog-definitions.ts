// What each catalog holds beyond id, code and name, and what its items look like on the wire.

import type { CatalogName } from '../../database/schema.js';

export const catalogNames: readonly CatalogName[] = [
  'products',
  'colors',
  'sizes',
  'warehouses',
  'customers',
  'couriers',
];

/** The extra fields a catalog has (all are columns of store_catalog_items). */
export const catalogFields: Record<CatalogName, ReadonlyArray<'price' | 'phone' | 'address'>> = {
  products: ['price'],
  colors: [],
  sizes: [],
  warehouses: ['address'],
  customers: ['phone', 'address'],
  couriers: ['phone'],
};

/** The singular, as a manager reads it in a message. */
export const catalogNoun: Record<CatalogName, string> = {
  products: 'product',
  colors: 'color',
  sizes: 'size',
  warehouses: 'warehouse',
  customers: 'customer',
  couriers: 'courier',
};

export interface CatalogItem {
  id: string;
  code: string;
  name: string;
  price?: number;
  phone?: string;
  address?: string;
  /** Couriers only: the store user whose login is the code. */
  userId?: string | null;
}

export interface CatalogItemInput {
  code: string;
  name: string;
  price?: number;
  phone?: string;
  address?: string;
}

export interface ItemRef {
  id: string;
  code: string;
  name: string;
}

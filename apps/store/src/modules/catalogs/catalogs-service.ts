// The catalogs (Products, Colors, Sizes, Warehouses, Customers, Couriers): create, edit, list,
// search, and look items up by id for documents and reports.

import { randomUUID } from 'node:crypto';
import { VestnikError } from '@vestnik/protocol';
import { compiledQuery, storageErrorKind } from '@vestnik/storage';
import type { CatalogName, StoreCatalogItemTable, StoreDb } from '../../database/schema.js';
import { storeErrors } from '../../errors.js';
import { toCents, fromCents } from '../money.js';
import {
  catalogFields,
  catalogNames,
  type CatalogItem,
  type CatalogItemInput,
  type ItemRef,
} from './catalog-definitions.js';

type Row = Pick<StoreCatalogItemTable, 'id' | 'code' | 'name' | 'price_cents' | 'phone' | 'address'>;

// Compiled once (lists: once per length): documents and reports look their references up here.
const courierUsersIn = compiledQuery((db: StoreDb, logins: string[]) =>
  db.selectFrom('store_users').select(['id', 'login']).where('login', 'in', logins),
);
const catalogItemsIn = compiledQuery((db: StoreDb, ids: string[]) =>
  db
    .selectFrom('store_catalog_items')
    .select(['catalog', ...columns])
    .where('id', 'in', ids),
);
const catalogItem = compiledQuery((db: StoreDb, catalog: CatalogName, id: string) =>
  db.selectFrom('store_catalog_items').select(columns).where('catalog', '=', catalog).where('id', '=', id),
);
const catalogItemByCode = compiledQuery((db: StoreDb, catalog: CatalogName, code: string) =>
  db
    .selectFrom('store_catalog_items')
    .select(columns)
    .where('catalog', '=', catalog)
    .where('code', '=', code),
);

async function courierUsers(db: StoreDb, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map<string, string>();
  const logins = codes.map((c) => c.trim().toLowerCase());
  const { rows } = await courierUsersIn.run(db, logins);
  return new Map(rows.map((r) => [r.login, r.id]));
}

async function toItems(
  db: StoreDb,
  catalog: CatalogName,
  rows: Row[],
  withUsers = true,
): Promise<CatalogItem[]> {
  const fields = catalogFields[catalog];
  const users =
    catalog === 'couriers' && withUsers
      ? await courierUsers(
          db,
          rows.map((r) => r.code),
        )
      : new Map<string, string>();
  return rows.map((row) => {
    const item: CatalogItem = { id: row.id, code: row.code, name: row.name };
    if (fields.includes('price')) item.price = fromCents(row.price_cents);
    if (fields.includes('phone')) item.phone = row.phone;
    if (fields.includes('address')) item.address = row.address;
    if (catalog === 'couriers' && withUsers) item.userId = users.get(row.code.trim().toLowerCase()) ?? null;
    return item;
  });
}

const columns = ['id', 'code', 'name', 'price_cents', 'phone', 'address'] as const;

export async function listItems(
  db: StoreDb,
  catalog: CatalogName,
  query: { search?: string; limit: number; offset: number },
): Promise<{ items: CatalogItem[]; total: number }> {
  let base = db.selectFrom('store_catalog_items').where('catalog', '=', catalog);
  if (query.search) {
    const pattern = `%${query.search.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    base = base.where('search_text', 'like', pattern);
  }
  const total = Number((await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await base
    .select(columns)
    .orderBy('name')
    .orderBy('code')
    .limit(query.limit)
    .offset(query.offset)
    .execute();
  return { items: await toItems(db, catalog, rows), total };
}

export async function getItem(db: StoreDb, catalog: CatalogName, id: string): Promise<CatalogItem> {
  const { rows } = await catalogItem.run(db, catalog, id);
  const row = rows[0];
  if (!row) throw new VestnikError('NOT_FOUND', 'No such catalog item.', { catalog, id });
  return (await toItems(db, catalog, [row]))[0] as CatalogItem;
}

export async function findItemByCode(
  db: StoreDb,
  catalog: CatalogName,
  code: string,
): Promise<CatalogItem | undefined> {
  // A courier's own requests look up their Couriers item by login.
  const { rows } = await catalogItemByCode.run(db, catalog, code);
  const row = rows[0];
  return row && (await toItems(db, catalog, [row]))[0];
}

function values(catalog: CatalogName, input: CatalogItemInput) {
  const fields = catalogFields[catalog];
  const code = input.code.trim();
  const name = input.name.trim();
  if (code === '' || name === '') {
    throw storeErrors.error('VALIDATION_FAILED', 'Fill in the code and the name.', {
      problems: [
        ...(code === '' ? [{ path: 'code', message: 'Fill in the code.' }] : []),
        ...(name === '' ? [{ path: 'name', message: 'Fill in the name.' }] : []),
      ],
    });
  }
  return {
    code: catalog === 'couriers' ? code.toLowerCase() : code,
    name,
    search_text: `${code} ${name}`.toLowerCase(),
    price_cents: fields.includes('price') ? toCents(input.price ?? 0) : 0,
    phone: fields.includes('phone') ? (input.phone ?? '').trim() : '',
    address: fields.includes('address') ? (input.address ?? '').trim() : '',
  };
}

async function assertCodeFree(db: StoreDb, catalog: CatalogName, code: string, exceptId?: string) {
  const other = await findItemByCode(db, catalog, code);
  if (other && other.id !== exceptId) {
    throw new VestnikError('DUPLICATE_KEY', `The code "${code}" is already used by "${other.name}".`, {
      field: 'code',
      value: code,
    });
  }
}

export async function createItem(
  db: StoreDb,
  catalog: CatalogName,
  input: CatalogItemInput,
): Promise<CatalogItem> {
  const row = values(catalog, input);
  await assertCodeFree(db, catalog, row.code);
  const id = randomUUID();
  const now = Date.now();
  try {
    await db
      .insertInto('store_catalog_items')
      .values({ id, catalog, ...row, created_at: now, updated_at: now })
      .execute();
  } catch (error) {
    // Another writer took the code between our check and our insert.
    if (storageErrorKind(error) === 'unique-violation') {
      throw new VestnikError('DUPLICATE_KEY', `The code "${row.code}" is already used.`, {
        field: 'code',
        value: row.code,
      });
    }
    throw error;
  }
  return getItem(db, catalog, id);
}

export async function updateItem(
  db: StoreDb,
  catalog: CatalogName,
  id: string,
  input: CatalogItemInput,
): Promise<CatalogItem> {
  await getItem(db, catalog, id);
  const row = values(catalog, input);
  await assertCodeFree(db, catalog, row.code, id);
  await db
    .updateTable('store_catalog_items')
    .set({ ...row, updated_at: Date.now() })
    .where('id', '=', id)
    .where('catalog', '=', catalog)
    .execute();
  return getItem(db, catalog, id);
}

/** Items of one catalog by id, for documents and reports; unknown ids are left out. */
export async function itemsById(
  db: StoreDb,
  catalog: CatalogName,
  ids: Iterable<string>,
): Promise<Map<string, CatalogItem>> {
  return (await itemsOfCatalogs(db, { [catalog]: ids }))[catalog];
}

export type ItemsOfCatalogs = Record<CatalogName, Map<string, CatalogItem>>;

/**
 * Items of several catalogs by id, in one query (ids are unique across catalogs): what a document
 * refers to costs one statement, not one per catalog. An id found in another catalog than the
 * one it is wanted from counts as unknown; unknown ids and nulls are left out. `userIds: false`:
 * couriers come without `userId` (a document's references and views do not show it, and finding
 * it costs another statement).
 */
export async function itemsOfCatalogs(
  db: StoreDb,
  wanted: Partial<Record<CatalogName, Iterable<string | null>>>,
  options: { userIds?: boolean } = {},
): Promise<ItemsOfCatalogs> {
  const result = Object.fromEntries(catalogNames.map((name) => [name, new Map()])) as ItemsOfCatalogs;
  const catalogOf = new Map<string, Set<CatalogName>>();
  for (const catalog of catalogNames) {
    for (const id of wanted[catalog] ?? []) {
      if (id === null) continue;
      let set = catalogOf.get(id);
      if (set === undefined) catalogOf.set(id, (set = new Set()));
      set.add(catalog);
    }
  }
  if (catalogOf.size === 0) return result;
  const { rows } = await catalogItemsIn.run(db, [...catalogOf.keys()]);
  for (const catalog of catalogNames) {
    const mine = rows.filter((row) => row.catalog === catalog && catalogOf.get(row.id)?.has(catalog));
    if (mine.length === 0) continue;
    for (const item of await toItems(db, catalog, mine, options.userIds ?? true))
      result[catalog].set(item.id, item);
  }
  return result;
}

export function refOf(item: CatalogItem | undefined): ItemRef | null {
  return item ? { id: item.id, code: item.code, name: item.name } : null;
}

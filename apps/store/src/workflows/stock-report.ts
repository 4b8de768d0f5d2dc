// The ProductStock reports with catalog items named: balances at a date by chosen dimensions,
// and the movements themselves.

import type { CatalogName, StoreDb } from '../database/schema.js';
import { itemsById, refOf } from '../modules/catalogs/catalogs-service.js';
import type { ItemRef } from '../modules/catalogs/catalog-definitions.js';
import {
  balances,
  listMovements,
  type BalanceQuery,
  type StockDimension,
} from '../modules/stock/stock-service.js';

const catalogOf: Record<StockDimension, CatalogName> = {
  product: 'products',
  color: 'colors',
  size: 'sizes',
  warehouse: 'warehouses',
};

const unknown = (id: string): ItemRef => ({ id, code: '', name: '(deleted)' });

async function names(db: StoreDb, wanted: Partial<Record<StockDimension, string[]>>) {
  const entries = await Promise.all(
    (Object.keys(wanted) as StockDimension[]).map(
      async (d) => [d, await itemsById(db, catalogOf[d], wanted[d] ?? [])] as const,
    ),
  );
  const maps = new Map(entries);
  return (d: StockDimension, id: string) => refOf(maps.get(d)?.get(id)) ?? unknown(id);
}

export async function balanceReport(db: StoreDb, query: BalanceQuery) {
  const rows = await balances(db, query);
  const wanted: Partial<Record<StockDimension, string[]>> = {};
  for (const d of query.groupBy) wanted[d] = rows.map((r) => r[d] as string);
  const name = await names(db, wanted);
  const named = rows.map((row) => {
    const out: Partial<Record<StockDimension, ItemRef>> & { ordered: number } = { ordered: row.ordered };
    for (const d of query.groupBy) out[d] = name(d, row[d] as string);
    return out;
  });
  const key = (r: (typeof named)[number]) => query.groupBy.map((d) => r[d]?.name ?? '').join('\u0000');
  named.sort((a, b) => key(a).localeCompare(key(b)));
  return {
    at: new Date(query.at).toISOString(),
    groupBy: query.groupBy,
    rows: named,
    total: named.reduce((sum, r) => sum + r.ordered, 0),
  };
}

export async function movementReport(
  db: StoreDb,
  query: { recorderId?: string; limit: number; offset: number },
) {
  const { rows, total } = await listMovements(db, query);
  const name = await names(db, {
    product: rows.map((r) => r.productId),
    color: rows.map((r) => r.colorId),
    size: rows.map((r) => r.sizeId),
    warehouse: rows.map((r) => r.warehouseId),
  });
  const orderIds = [...new Set(rows.map((r) => r.recorderId))];
  const numbers = new Map(
    orderIds.length === 0
      ? []
      : (
          await db.selectFrom('store_orders').select(['id', 'number']).where('id', 'in', orderIds).execute()
        ).map((o) => [o.id, o.number] as const),
  );
  return {
    rows: rows.map((r) => ({
      period: new Date(r.period).toISOString(),
      order: { id: r.recorderId, number: numbers.get(r.recorderId) ?? '' },
      lineNo: r.lineNo,
      kind: r.kind,
      product: name('product', r.productId),
      color: name('color', r.colorId),
      size: name('size', r.sizeId),
      warehouse: name('warehouse', r.warehouseId),
      ordered: r.ordered,
    })),
    total,
  };
}

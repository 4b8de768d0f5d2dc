// The accumulation register ProductStock (dimensions product, color, size, warehouse; resource
// ordered). Movements belong to a recorder (the order that wrote them): writing replaces the
// recorder's set, as the platform does.

import { compiledQuery } from '@vestnik/storage';
import type { StoreDb, StoreStockMovementTable } from '../../database/schema.js';

export type StockDimension = 'product' | 'color' | 'size' | 'warehouse';
export const stockDimensions: readonly StockDimension[] = ['product', 'color', 'size', 'warehouse'];

const column = {
  product: 'product_id',
  color: 'color_id',
  size: 'size_id',
  warehouse: 'warehouse_id',
} as const;

export interface StockMovementRecord {
  recorderId: string;
  lineNo: number;
  period: number;
  kind: 'receipt' | 'expense';
  productId: string;
  colorId: string;
  sizeId: string;
  warehouseId: string;
  ordered: number;
}

const insertMovements = compiledQuery((db: StoreDb, rows: StoreStockMovementTable[]) =>
  db.insertInto('store_stock_movements').values(rows),
);
const deleteMovements = compiledQuery((db: StoreDb, recorderId: string) =>
  db.deleteFrom('store_stock_movements').where('recorder_id', '=', recorderId),
);

/** Replaces all the movements of a recorder with these (none: the recorder has no movements). */
export async function replaceMovements(db: StoreDb, recorderId: string, movements: StockMovementRecord[]) {
  // Every posting replaces its movements.
  await deleteMovements.run(db, recorderId);
  if (movements.length === 0) return;
  await insertMovements.run(
    db,
    movements.map((m) => ({
      recorder_id: m.recorderId,
      line_no: m.lineNo,
      period: m.period,
      kind: m.kind,
      product_id: m.productId,
      color_id: m.colorId,
      size_id: m.sizeId,
      warehouse_id: m.warehouseId,
      ordered: m.ordered,
    })),
  );
}

export async function listMovements(
  db: StoreDb,
  query: { recorderId?: string; limit: number; offset: number },
): Promise<{ rows: StockMovementRecord[]; total: number }> {
  let base = db.selectFrom('store_stock_movements');
  if (query.recorderId) base = base.where('recorder_id', '=', query.recorderId);
  const total = Number((await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await base
    .selectAll()
    .orderBy('period')
    .orderBy('recorder_id')
    .orderBy('line_no')
    .limit(query.limit)
    .offset(query.offset)
    .execute();
  return {
    rows: rows.map((r) => ({
      recorderId: r.recorder_id,
      lineNo: r.line_no,
      period: Number(r.period),
      kind: r.kind,
      productId: r.product_id,
      colorId: r.color_id,
      sizeId: r.size_id,
      warehouseId: r.warehouse_id,
      ordered: Number(r.ordered),
    })),
    total,
  };
}

export interface BalanceQuery {
  at: number;
  groupBy: StockDimension[];
  filter: Partial<Record<StockDimension, string>>;
}

export type BalanceRow = Partial<Record<StockDimension, string>> & { ordered: number };

/** Balances of Ordered at a moment (movements with period <= at), by the chosen dimensions. */
export async function balances(db: StoreDb, query: BalanceQuery): Promise<BalanceRow[]> {
  let base = db.selectFrom('store_stock_movements').where('period', '<=', query.at);
  for (const dimension of stockDimensions) {
    const value = query.filter[dimension];
    if (value !== undefined) base = base.where(column[dimension], '=', value);
  }
  const groupColumns = query.groupBy.map((d) => column[d]);
  const rows = await base
    .select(groupColumns)
    .select((eb) =>
      eb.fn
        .sum<number>(
          eb
            .case()
            .when('kind', '=', 'receipt')
            .then(eb.ref('ordered'))
            .else(eb.neg(eb.ref('ordered')))
            .end(),
        )
        .as('ordered'),
    )
    .$if(groupColumns.length > 0, (q) => q.groupBy(groupColumns))
    .execute();
  const result: BalanceRow[] = [];
  for (const row of rows) {
    const ordered = Number(row.ordered ?? 0);
    if (ordered === 0) continue;
    const out: BalanceRow = { ordered };
    for (const dimension of query.groupBy)
      out[dimension] = (row as unknown as Record<string, string>)[column[dimension]];
    result.push(out);
  }
  return result;
}

// Orders: read, list, number and write the document's rows. Posting and its checks are the
// posting workflow's; this module only keeps the document.

import { sql } from 'kysely';
import { VestnikError } from '@vestnik/protocol';
import { compiledQuery } from '@vestnik/storage';
import type { OrderStatus, StoreDb, StoreOrderItemTable, StoreOrderTable } from '../../database/schema.js';
import type { OrderItemRecord, OrderRecord } from './order-record.js';

function fromRow(row: StoreOrderTable, items: OrderItemRecord[]): OrderRecord {
  return {
    id: row.id,
    number: row.number,
    date: Number(row.date),
    customerId: row.customer_id,
    address: row.address,
    warehouseId: row.warehouse_id,
    courierId: row.courier_id,
    status: row.status,
    comment: row.comment,
    posted: row.posted === 1,
    postedStatus: row.posted_status,
    postedCourierId: row.posted_courier_id,
    items,
    totalCents: Number(row.total_cents),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

// Compiled once per adapter (lists: once per length): every save and posting runs these.
const orderItemsIn = compiledQuery((db: StoreDb, orderIds: string[]) =>
  db
    .selectFrom('store_order_items')
    .selectAll()
    .where('order_id', 'in', orderIds)
    .orderBy('order_id')
    .orderBy('line_no'),
);
const orderById = compiledQuery((db: StoreDb, id: string) =>
  db.selectFrom('store_orders').selectAll().where('id', '=', id),
);
const orderByIdForUpdate = compiledQuery((db: StoreDb, id: string) =>
  db.selectFrom('store_orders').selectAll().where('id', '=', id).forUpdate(),
);
const bumpCounter = compiledQuery((db: StoreDb, name: string, first: number) =>
  db
    .insertInto('store_counters')
    .values({ name, value: first })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql<number>`store_counters.value + 1` }))
    .returning('value'),
);
type OrderColumns = Omit<StoreOrderTable, 'id' | 'created_at'>;
const insertOrder = compiledQuery((db: StoreDb, row: StoreOrderTable) =>
  db.insertInto('store_orders').values(row),
);
const updateOrder = compiledQuery((db: StoreDb, id: string, columns: OrderColumns) =>
  db.updateTable('store_orders').set(columns).where('id', '=', id),
);
const insertOrderItems = compiledQuery((db: StoreDb, rows: StoreOrderItemTable[]) =>
  db.insertInto('store_order_items').values(rows),
);
const deleteOrderItems = compiledQuery((db: StoreDb, orderId: string) =>
  db.deleteFrom('store_order_items').where('order_id', '=', orderId),
);

async function itemsOf(db: StoreDb, orderIds: string[]): Promise<Map<string, OrderItemRecord[]>> {
  const result = new Map<string, OrderItemRecord[]>(orderIds.map((id) => [id, []]));
  if (orderIds.length === 0) return result;
  // One order's lines are read on every posting.
  const { rows } = await orderItemsIn.run(db, orderIds);
  for (const row of rows) {
    result.get(row.order_id)?.push({
      lineNo: row.line_no,
      productId: row.product_id,
      colorId: row.color_id,
      sizeId: row.size_id,
      quantity: row.quantity,
      priceCents: Number(row.price_cents),
      amountCents: Number(row.amount_cents),
    });
  }
  return result;
}

/**
 * The order with this id. `forUpdate` locks its row to the end of the transaction, so that two
 * postings of one order on a database with concurrent writers take turns (SQLite has one writer).
 */
export async function findOrder(
  db: StoreDb,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<OrderRecord | undefined> {
  const { rows } = await (options.forUpdate ? orderByIdForUpdate : orderById).run(db, id);
  const row = rows[0];
  if (!row) return undefined;
  return fromRow(row, (await itemsOf(db, [id])).get(id) ?? []);
}

export async function getOrder(db: StoreDb, id: string): Promise<OrderRecord> {
  const order = await findOrder(db, id);
  if (!order) throw new VestnikError('NOT_FOUND', 'No such order.', { id });
  return order;
}

export interface OrderFilter {
  status?: OrderStatus;
  courierId?: string;
  posted?: boolean;
  search?: string;
  /** Customer ids whose names match the search (found by the caller in the catalogs). */
  customerIds?: string[];
  limit: number;
  offset: number;
}

export async function listOrders(
  db: StoreDb,
  filter: OrderFilter,
): Promise<{ items: Array<OrderRecord & { itemCount: number }>; total: number }> {
  let base = db.selectFrom('store_orders');
  if (filter.status) base = base.where('status', '=', filter.status);
  if (filter.courierId) base = base.where('courier_id', '=', filter.courierId);
  if (filter.posted !== undefined) base = base.where('posted', '=', filter.posted ? 1 : 0);
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    const customers = filter.customerIds ?? [];
    base = base.where((eb) =>
      eb.or([
        eb('number', 'like', pattern),
        ...(customers.length > 0 ? [eb('customer_id', 'in', customers)] : []),
      ]),
    );
  }
  const total = Number((await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await base
    .selectAll()
    .orderBy('date', 'desc')
    .orderBy('number', 'desc')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  const ids = rows.map((r) => r.id);
  const counts = new Map<string, number>();
  if (ids.length > 0) {
    const grouped = await db
      .selectFrom('store_order_items')
      .select(['order_id', (eb) => eb.fn.countAll().as('n')])
      .where('order_id', 'in', ids)
      .groupBy('order_id')
      .execute();
    for (const g of grouped) counts.set(g.order_id, Number(g.n));
  }
  return { items: rows.map((r) => ({ ...fromRow(r, []), itemCount: counts.get(r.id) ?? 0 })), total };
}

/** The next order number, "000001" and on; taken under the counter row's lock. */
export async function nextOrderNumber(db: StoreDb): Promise<string> {
  const { rows } = await bumpCounter.run(db, 'order', 1);
  const row = rows[0];
  if (row === undefined) throw new Error('The order counter returned no value.');
  return String(Number(row.value)).padStart(6, '0');
}

/**
 * Writes the document (header and every line), replacing what was stored. `linesChanged: false`
 * (posting or cancelling as saved) writes the header only: the stored lines are the order's.
 */
export async function writeOrder(
  db: StoreDb,
  order: OrderRecord,
  isNew: boolean,
  options: { linesChanged?: boolean } = {},
): Promise<void> {
  const row = {
    number: order.number,
    date: order.date,
    customer_id: order.customerId,
    address: order.address,
    warehouse_id: order.warehouseId,
    courier_id: order.courierId,
    status: order.status,
    comment: order.comment,
    posted: order.posted ? 1 : 0,
    posted_status: order.postedStatus,
    posted_courier_id: order.postedCourierId,
    total_cents: order.totalCents,
    updated_at: order.updatedAt,
  };
  // Every save writes these statements.
  if (isNew) {
    await insertOrder.run(db, { id: order.id, created_at: order.createdAt, ...row });
  } else {
    await updateOrder.run(db, order.id, row);
    if (options.linesChanged === false) return;
    await deleteOrderItems.run(db, order.id);
  }
  if (order.items.length === 0) return;
  await insertOrderItems.run(
    db,
    order.items.map((item) => ({
      order_id: order.id,
      line_no: item.lineNo,
      product_id: item.productId,
      color_id: item.colorId,
      size_id: item.sizeId,
      quantity: item.quantity,
      price_cents: item.priceCents,
      amount_cents: item.amountCents,
    })),
  );
}

// Orders: read, list, number and write the document's rows. Posting and its checks are the
// posting workflow's; this module only keeps the document.

import { sql } from 'kysely';
import { VestnikError } from '@vestnik/protocol';
import { runCompiled } from '@vestnik/collab';
import { insertRows } from '../../database/compiled-insert.js';
import type { OrderStatus, StoreDb, StoreOrderTable } from '../../database/schema.js';
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

async function itemsOf(db: StoreDb, orderIds: string[]): Promise<Map<string, OrderItemRecord[]>> {
  const result = new Map<string, OrderItemRecord[]>(orderIds.map((id) => [id, []]));
  if (orderIds.length === 0) return result;
  const build = (ids: string[]) =>
    db
      .selectFrom('store_order_items')
      .selectAll()
      .where('order_id', 'in', ids)
      .orderBy('order_id')
      .orderBy('line_no');
  // One order's lines are read on every posting: that statement is compiled once.
  const rows =
    orderIds.length === 1
      ? (await runCompiled(db, 'store.orderItems', orderIds, (id) => build([id!]))).rows
      : await build(orderIds).execute();
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
  const name = options.forUpdate ? 'store.orderForUpdate' : 'store.order';
  const { rows } = await runCompiled(db, name, [id], (orderId) => {
    const query = db.selectFrom('store_orders').selectAll().where('id', '=', orderId!);
    return options.forUpdate ? query.forUpdate() : query;
  });
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
  const { rows } = await runCompiled(db, 'store.nextOrderNumber', ['order', 1], (name, one) =>
    db
      .insertInto('store_counters')
      .values({ name: name!, value: one as unknown as number }) // a placeholder stands for any value
      .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql<number>`store_counters.value + 1` }))
      .returning('value'),
  );
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
  // Every save writes these statements: compiled once (the placeholders stand for every column).
  if (isNew) {
    await insertRows(db, 'store_orders', [{ id: order.id, created_at: order.createdAt, ...row }]);
  } else {
    const columns = Object.keys(row) as Array<keyof typeof row>;
    await runCompiled(db, 'store.updateOrder', [...columns.map((c) => row[c]), order.id], (...p) =>
      db
        .updateTable('store_orders')
        .set(Object.fromEntries(columns.map((c, i) => [c, p[i]])) as never)
        .where('id', '=', p[columns.length]!),
    );
    if (options.linesChanged === false) return;
    await runCompiled(db, 'store.deleteOrderItems', [order.id], (id) =>
      db.deleteFrom('store_order_items').where('order_id', '=', id!),
    );
  }
  await insertRows(
    db,
    'store_order_items',
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

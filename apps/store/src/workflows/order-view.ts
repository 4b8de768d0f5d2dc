// The Order document as the API shows it: catalog items named, money in decimals, times in ISO.

import type { OrderStatus, StoreDb } from '../database/schema.js';
import { itemsOfCatalogs, refOf, type ItemsOfCatalogs } from '../modules/catalogs/catalogs-service.js';
import type { ItemRef } from '../modules/catalogs/catalog-definitions.js';
import { fromCents } from '../modules/money.js';
import type { OrderRecord } from '../modules/orders/order-record.js';

export interface OrderView {
  id: string;
  number: string;
  date: string;
  customer: ItemRef | null;
  address: string;
  warehouse: ItemRef | null;
  courier: ItemRef | null;
  status: OrderStatus;
  posted: boolean;
  comment: string;
  items: Array<{
    lineNo: number;
    product: ItemRef;
    color: ItemRef | null;
    size: ItemRef | null;
    quantity: number;
    price: number;
    amount: number;
  }>;
  total: number;
  createdAt: string;
  updatedAt: string;
}

export type OrderSummaryView = Omit<OrderView, 'items'> & { itemCount: number };

const iso = (ms: number) => new Date(ms).toISOString();

function headerOf(refs: ItemsOfCatalogs) {
  return (order: OrderRecord) => ({
    id: order.id,
    number: order.number,
    date: iso(order.date),
    customer: order.customerId ? refOf(refs.customers.get(order.customerId)) : null,
    address: order.address,
    warehouse: order.warehouseId ? refOf(refs.warehouses.get(order.warehouseId)) : null,
    courier: order.courierId ? refOf(refs.couriers.get(order.courierId)) : null,
    status: order.status,
    posted: order.posted,
    comment: order.comment,
    total: fromCents(order.totalCents),
    createdAt: iso(order.createdAt),
    updatedAt: iso(order.updatedAt),
  });
}

async function headerRefs(db: StoreDb, orders: OrderRecord[]) {
  return headerOf(
    await itemsOfCatalogs(
      db,
      {
        customers: orders.map((o) => o.customerId),
        warehouses: orders.map((o) => o.warehouseId),
        couriers: orders.map((o) => o.courierId),
      },
      { userIds: false },
    ),
  );
}

/**
 * The order as the API shows it. `refs`: the catalog items it refers to, when the caller has just
 * read them (saving an order does); otherwise they are read here, in one query.
 */
export async function orderView(db: StoreDb, order: OrderRecord, refs?: ItemsOfCatalogs): Promise<OrderView> {
  const { products, colors, sizes, ...rest } =
    refs ??
    (await itemsOfCatalogs(
      db,
      {
        customers: [order.customerId],
        warehouses: [order.warehouseId],
        couriers: [order.courierId],
        products: order.items.map((i) => i.productId),
        colors: order.items.map((i) => i.colorId),
        sizes: order.items.map((i) => i.sizeId),
      },
      { userIds: false },
    ));
  const header = headerOf({ products, colors, sizes, ...rest })(order);
  return {
    ...header,
    items: order.items.map((item) => ({
      lineNo: item.lineNo,
      product: refOf(products.get(item.productId)) ?? { id: item.productId, code: '', name: '(deleted)' },
      color: item.colorId ? refOf(colors.get(item.colorId)) : null,
      size: item.sizeId ? refOf(sizes.get(item.sizeId)) : null,
      quantity: item.quantity,
      price: fromCents(item.priceCents),
      amount: fromCents(item.amountCents),
    })),
  };
}

export async function orderSummaries(
  db: StoreDb,
  orders: Array<OrderRecord & { itemCount: number }>,
): Promise<OrderSummaryView[]> {
  const header = await headerRefs(db, orders);
  return orders.map((order) => ({ ...header(order), itemCount: order.itemCount }));
}

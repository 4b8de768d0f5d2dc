// The Order document as the API shows it: catalog items named, money in decimals, times in ISO.

import type { OrderStatus, StoreDb } from '../database/schema.js';
import { itemsById, refOf } from '../modules/catalogs/catalogs-service.js';
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
const ids = (list: Array<string | null>) => list.filter((id): id is string => id !== null);

async function headerRefs(db: StoreDb, orders: OrderRecord[]) {
  const [customers, warehouses, couriers] = await Promise.all([
    itemsById(db, 'customers', ids(orders.map((o) => o.customerId))),
    itemsById(db, 'warehouses', ids(orders.map((o) => o.warehouseId))),
    itemsById(db, 'couriers', ids(orders.map((o) => o.courierId))),
  ]);
  return (order: OrderRecord) => ({
    id: order.id,
    number: order.number,
    date: iso(order.date),
    customer: order.customerId ? refOf(customers.get(order.customerId)) : null,
    address: order.address,
    warehouse: order.warehouseId ? refOf(warehouses.get(order.warehouseId)) : null,
    courier: order.courierId ? refOf(couriers.get(order.courierId)) : null,
    status: order.status,
    posted: order.posted,
    comment: order.comment,
    total: fromCents(order.totalCents),
    createdAt: iso(order.createdAt),
    updatedAt: iso(order.updatedAt),
  });
}

export async function orderView(db: StoreDb, order: OrderRecord): Promise<OrderView> {
  const header = (await headerRefs(db, [order]))(order);
  const [products, colors, sizes] = await Promise.all([
    itemsById(
      db,
      'products',
      order.items.map((i) => i.productId),
    ),
    itemsById(db, 'colors', ids(order.items.map((i) => i.colorId))),
    itemsById(db, 'sizes', ids(order.items.map((i) => i.sizeId))),
  ]);
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

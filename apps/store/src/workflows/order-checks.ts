// The checks an order must pass, with messages a manager understands: on every save (references
// exist, quantities and prices make sense) and, in addition, on posting (the order is complete).

import type { VestnikError } from '@vestnik/protocol';
import type { StoreDb } from '../database/schema.js';
import { storeErrors, type StoreErrorCode } from '../errors.js';
import { itemsOfCatalogs } from '../modules/catalogs/catalogs-service.js';
import type { CatalogItem } from '../modules/catalogs/catalog-definitions.js';
import type { OrderRecord } from '../modules/orders/order-record.js';
import type { StoreUser } from '../modules/users/users-service.js';

export interface Problem {
  path: string;
  message: string;
}

export function validationFailed(
  what: 'saved' | 'posted',
  problems: Problem[],
): VestnikError<StoreErrorCode> {
  const first = problems[0]?.message ?? '';
  const message =
    problems.length === 1
      ? `The order cannot be ${what}: ${first}`
      : `The order cannot be ${what}: ${problems.length} problems. ${problems.map((p) => p.message).join(' ')}`;
  return storeErrors.error('VALIDATION_FAILED', message, { problems });
}

const line = (n: number) => `Line ${n}:`;

/** What an order (or the input saving one) refers to in the catalogs. */
export interface OrderRefIds {
  customerId: string | null;
  warehouseId: string | null;
  courierId: string | null;
  items: ReadonlyArray<{ productId: string; colorId: string | null; sizeId: string | null }>;
}

/**
 * Catalog items the order refers to, in one query; what is missing is reported as a problem.
 * Couriers come without `userId`: posting finds the courier's user itself (`userOfCourier`).
 */
export function loadReferences(db: StoreDb, order: OrderRefIds) {
  return itemsOfCatalogs(
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
  );
}

export type References = Awaited<ReturnType<typeof loadReferences>>;

/** Checks made on every save. */
export function saveProblems(order: OrderRecord, refs: References): Problem[] {
  const problems: Problem[] = [];
  const missing = (id: string | null, found: Map<string, CatalogItem>, path: string, noun: string) => {
    if (id !== null && !found.has(id))
      problems.push({ path, message: `The ${noun} chosen does not exist (any more); choose another.` });
  };
  missing(order.customerId, refs.customers, 'customerId', 'customer');
  missing(order.warehouseId, refs.warehouses, 'warehouseId', 'warehouse');
  missing(order.courierId, refs.couriers, 'courierId', 'courier');
  order.items.forEach((item, index) => {
    const n = item.lineNo;
    if (!refs.products.has(item.productId)) {
      problems.push({
        path: `items.${index}.productId`,
        message: `${line(n)} unknown product; choose one from the list.`,
      });
    }
    if (item.colorId !== null && !refs.colors.has(item.colorId)) {
      problems.push({
        path: `items.${index}.colorId`,
        message: `${line(n)} unknown color; choose one from the list.`,
      });
    }
    if (item.sizeId !== null && !refs.sizes.has(item.sizeId)) {
      problems.push({
        path: `items.${index}.sizeId`,
        message: `${line(n)} unknown size; choose one from the list.`,
      });
    }
    if (!Number.isInteger(item.quantity) || item.quantity <= 0) {
      problems.push({
        path: `items.${index}.quantity`,
        message: `${line(n)} the quantity must be a whole number greater than zero.`,
      });
    }
    if (item.priceCents < 0) {
      problems.push({ path: `items.${index}.price`, message: `${line(n)} the price cannot be negative.` });
    }
  });
  return problems;
}

/**
 * Checks made, in addition, when the order is posted. `userOf`: the user to tell about a courier's
 * orders (the posting asks once per courier and reuses the answer for its notifications).
 */
export async function postProblems(
  order: OrderRecord,
  refs: References,
  userOf: (courierId: string) => Promise<StoreUser | undefined>,
): Promise<Problem[]> {
  const problems: Problem[] = [];
  if (order.customerId === null) problems.push({ path: 'customerId', message: 'Choose a customer.' });
  if (order.address.trim() === '')
    problems.push({ path: 'address', message: 'Fill in the delivery address.' });
  if (order.warehouseId === null) problems.push({ path: 'warehouseId', message: 'Choose a warehouse.' });
  if (order.items.length === 0)
    problems.push({ path: 'items', message: 'Add at least one line to the order.' });
  order.items.forEach((item, index) => {
    if (item.colorId === null)
      problems.push({ path: `items.${index}.colorId`, message: `${line(item.lineNo)} choose a color.` });
    if (item.sizeId === null)
      problems.push({ path: `items.${index}.sizeId`, message: `${line(item.lineNo)} choose a size.` });
  });
  if (order.status === 'InWork') {
    if (order.courierId === null) {
      problems.push({ path: 'courierId', message: 'An order in work needs a courier: choose one.' });
    } else if (refs.couriers.has(order.courierId) && !(await userOf(order.courierId))) {
      const courier = refs.couriers.get(order.courierId) as CatalogItem;
      problems.push({
        path: 'courierId',
        message: `The courier ${courier.name} has no user "${courier.code}" with the role Courier, so they could not be told about the order. Choose another courier or ask the administrator to create the user.`,
      });
    }
  }
  return problems;
}

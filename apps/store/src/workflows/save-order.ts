// The posting workflow: Save, Post and Cancel posting of an Order, each in one transaction. Posting
// replaces the order's ProductStock movements and writes the courier notifications it calls for
// in that same transaction, so they exist if and only if the posting committed.

import { randomUUID } from 'node:crypto';
import { isVestnikError, VestnikError } from '@vestnik/protocol';
import type { CollabTransaction } from '@vestnik/collab';
import type { StoreDb } from '../database/schema.js';
import type { ItemsOfCatalogs } from '../modules/catalogs/catalogs-service.js';
import type { CatalogItem } from '../modules/catalogs/catalog-definitions.js';
import { toCents } from '../modules/money.js';
import type { OrderInput, OrderRecord } from '../modules/orders/order-record.js';
import { findOrder, nextOrderNumber, writeOrder } from '../modules/orders/orders-service.js';
import { replaceMovements, type StockMovementRecord } from '../modules/stock/stock-service.js';
import { courierNotices, sendCourierNotice } from '../modules/notifications/courier-notifications.js';
import {
  ensureCollabUser,
  ensureServiceConversation,
  joinServiceConversation,
} from '../modules/notifications/service-conversation.js';
import { inStoreTransaction, type StoreContext } from './context.js';
import { loadReferences, postProblems, saveProblems, validationFailed } from './order-checks.js';
import { userOfCourier } from './courier-directory.js';
import type { StoreUser } from '../modules/users/users-service.js';

export type OrderAction = 'save' | 'post' | 'unpost';

export interface SaveOrderCommand {
  /** Absent: a new order. */
  id?: string;
  /** The document's new content; absent: as stored (post or unpost only). */
  input?: OrderInput;
  action: OrderAction;
}

export interface SaveOrderResult {
  order: OrderRecord;
  notificationsSent: number;
  /** The catalog items the order refers to, as read in its transaction (for its view). */
  refs: ItemsOfCatalogs;
}

/** Runs the command in its own transaction and reports what it did. */
export async function saveOrder(ctx: StoreContext, command: SaveOrderCommand): Promise<SaveOrderResult> {
  if (await ctx.collab.isRegistered()) await ensureServiceConversation(ctx.collab);
  const lock = ctx.storage.capabilities.concurrentWriters;
  const result = await inStoreTransaction(ctx, (db, tx) => saveOrderIn(db, tx, command, { lock }));
  if (result.order.posted && command.action !== 'unpost') ctx.counters.ordersPosted();
  ctx.counters.notificationsSent(result.notificationsSent);
  return result;
}

/**
 * The command's steps inside a transaction the caller opened (tests open one to inject a failure
 * after these steps and see that nothing of them survives).
 */
export async function saveOrderIn(
  db: StoreDb,
  tx: CollabTransaction | null,
  command: SaveOrderCommand,
  options: { lock?: boolean } = {},
): Promise<SaveOrderResult> {
  // Locked: what the notifications compare against must not change under us.
  const existing =
    command.id === undefined ? undefined : await findOrder(db, command.id, { forUpdate: options.lock });
  if (command.id !== undefined && !existing)
    throw new VestnikError('NOT_FOUND', 'No such order.', { id: command.id });
  if (!existing && !command.input)
    throw new VestnikError('INVALID_ARGUMENT', 'A new order needs its content.');

  const now = Date.now();
  // The input (or the stored order) refers to the same catalog items as the order made of it.
  const refs = await loadReferences(db, command.input ?? (existing as OrderRecord));
  const order = command.input
    ? applyInput(command.input, existing, now, refs.products)
    : { ...(existing as OrderRecord) };
  order.updatedAt = now;
  const posting = command.action === 'post' || (command.action === 'save' && existing?.posted === true);
  const problems = saveProblems(order, refs);
  if (problems.length > 0) throw validationFailed('saved', problems);
  // The user to tell about a courier's orders, looked up once per courier for the checks and the
  // notifications (nothing changes it in between: both run in this transaction).
  const courierUsers = new Map<string, Promise<StoreUser | undefined>>();
  const userOf = (courierId: string) => {
    let user = courierUsers.get(courierId);
    if (user === undefined) {
      user = userOfCourier(db, courierId, refs.couriers.get(courierId));
      courierUsers.set(courierId, user);
    }
    return user;
  };
  if (posting) {
    const more = await postProblems(order, refs, userOf);
    if (more.length > 0) throw validationFailed('posted', more);
  }
  if (!existing) order.number = await nextOrderNumber(db);

  let notificationsSent = 0;
  if (posting) {
    order.posted = true;
    order.postedStatus = order.status;
    order.postedCourierId = order.courierId;
  } else if (command.action === 'unpost') {
    order.posted = false;
    order.postedStatus = null;
    order.postedCourierId = null;
  }
  await writeOrder(db, order, !existing, { linesChanged: command.input !== undefined });
  if (posting) {
    await replaceMovements(db, order.id, movementsOf(order));
    if (tx) notificationsSent = await notifyCouriers(tx, existing, order, userOf);
  } else if (command.action === 'unpost') {
    await replaceMovements(db, order.id, []);
    if (tx) notificationsSent = await notifyCouriers(tx, existing, order, userOf);
  }
  return { order, notificationsSent, refs };
}

function applyInput(
  input: OrderInput,
  existing: OrderRecord | undefined,
  now: number,
  products: Map<string, CatalogItem>,
): OrderRecord {
  const date = input.date === undefined ? (existing?.date ?? now) : Date.parse(input.date);
  if (!Number.isFinite(date)) {
    throw validationFailed('saved', [{ path: 'date', message: 'The date is not a valid date.' }]);
  }
  // A line without a price takes the product's price from the catalog.
  const items = input.items.map((item, index) => {
    const priceCents =
      item.price === undefined ? toCents(products.get(item.productId)?.price ?? 0) : toCents(item.price);
    return {
      lineNo: index + 1,
      productId: item.productId,
      colorId: item.colorId,
      sizeId: item.sizeId,
      quantity: item.quantity,
      priceCents,
      amountCents: Math.round(item.quantity * priceCents),
    };
  });
  return {
    id: existing?.id ?? randomUUID(),
    number: existing?.number ?? '',
    date,
    customerId: input.customerId,
    address: input.address.trim(),
    warehouseId: input.warehouseId,
    courierId: input.courierId,
    status: input.status,
    comment: (input.comment ?? existing?.comment ?? '').trim(),
    posted: existing?.posted ?? false,
    postedStatus: existing?.postedStatus ?? null,
    postedCourierId: existing?.postedCourierId ?? null,
    items,
    totalCents: items.reduce((sum, item) => sum + item.amountCents, 0),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
}

/** A receipt per line while the order is In work; none for New or Done. */
function movementsOf(order: OrderRecord): StockMovementRecord[] {
  if (order.status !== 'InWork' || order.warehouseId === null) return [];
  const warehouseId = order.warehouseId;
  return order.items.map((item) => ({
    recorderId: order.id,
    lineNo: item.lineNo,
    period: order.date,
    kind: 'receipt',
    productId: item.productId,
    colorId: item.colorId as string,
    sizeId: item.sizeId as string,
    warehouseId,
    ordered: item.quantity,
  }));
}

async function notifyCouriers(
  tx: CollabTransaction,
  before: OrderRecord | undefined,
  after: OrderRecord,
  userOf: (courierId: string) => Promise<StoreUser | undefined>,
): Promise<number> {
  const notices = courierNotices({
    before: {
      posted: before?.posted ?? false,
      status: before?.postedStatus ?? null,
      courierId: before?.postedCourierId ?? null,
    },
    after: { posted: after.posted, status: after.status, courierId: after.courierId },
  });
  let sent = 0;
  for (const notice of notices) {
    const user = await userOf(notice.courierId);
    // The new courier's user was checked before posting; a previous courier who is no longer one
    // (role taken away, user blocked) has no one to tell.
    if (!user) continue;
    const { collabUserId } = await ensureCollabUser(tx, user);
    const message = { ...notice, collabUserId, orderId: after.id, orderNumber: after.number };
    try {
      await sendCourierNotice(tx, message);
    } catch (error) {
      // Membership follows roles already; a courier whose joining an outage missed is joined here.
      // The refusal comes before the message writes anything, so the transaction goes on.
      if (!isVestnikError(error, 'NOT_PARTICIPANT')) throw error;
      await joinServiceConversation(tx, [collabUserId]);
      await sendCourierNotice(tx, message);
    }
    sent++;
  }
  return sent;
}

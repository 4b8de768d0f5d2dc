// What every workflow works with: the collaboration system, the storage it shares with the store
// and the store's view of that database, plus the counters they report to.

import type { Collab, CollabTransaction } from '@vestnik/collab';
import type { Storage } from '@vestnik/storage';
import type { StoreDatabase, StoreDb, StoreTables } from '../database/schema.js';

export interface StoreCounters {
  ordersPosted(): void;
  notificationsSent(count: number): void;
}

export interface StoreContext {
  collab: Collab;
  /** The storage the collaboration system keeps its tables in; the store's tables are beside them. */
  storage: Storage;
  db: StoreDb;
  applicationName: string;
  counters: StoreCounters;
}

/**
 * Runs `fn` in one database transaction. When the collaboration system is started, the
 * transaction is the collaboration system's own, so messages written in it are delivered if and
 * only if it commits; before that, it is a plain one and `tx` is null.
 */
export async function inStoreTransaction<T>(
  ctx: StoreContext,
  fn: (db: StoreDb, tx: CollabTransaction | null) => Promise<T>,
): Promise<T> {
  if (await ctx.collab.isRegistered()) {
    return ctx.collab.transaction((tx) => fn(tx.db.withTables<StoreTables>(), tx));
  }
  return ctx.storage.transaction((trx) => fn(trx.withTables<StoreDatabase>(), null));
}

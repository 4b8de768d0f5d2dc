// Applies versioned migrations once each, in name order, for the collaboration system and for
// the applications that share its database. Kysely's own Migrator introspects every table of the
// database, which fails when another schema is dropped at the same moment; this one only reads its
// own table, under the adapter's migration lock.

import type { Migration, Transaction } from 'kysely';
import { VestnikError } from '@vestnik/protocol';
import type { Storage } from './storage.js';

export interface MigrationSet {
  /** Table that records what was applied, e.g. `collab_migrations`; also the lock's name. */
  table: string;
  migrations: Record<string, Migration>;
}

/**
 * Applies the migrations of `set` not applied yet, each in its own transaction, and returns their
 * names. Several processes may start at once: they take turns, and each migration runs once.
 *
 * @param upTo stop after this migration (to test a migration over older data).
 * @example
 * await runMigrations(storage, { table: 'store_migrations', migrations: { '0001_orders': { up } } });
 */
export async function runMigrations(storage: Storage, set: MigrationSet, upTo?: string): Promise<string[]> {
  const names = Object.keys(set.migrations).sort();
  if (upTo !== undefined && !names.includes(upTo)) {
    throw new VestnikError('INVALID_ARGUMENT', `No migration named "${upTo}" in ${set.table}.`);
  }
  const wanted = upTo === undefined ? names : names.slice(0, names.indexOf(upTo) + 1);
  const applied: string[] = [];
  for (const name of wanted) {
    const ran = await storage.transaction(async (lockable) => {
      await storage.lockMigrations(lockable, set.table);
      // Migrations are written against tables that do not exist yet, so the database is untyped here.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const trx = lockable as Transaction<any>;
      await trx.schema
        .createTable(set.table)
        .ifNotExists()
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('executed_at', 'bigint', (c) => c.notNull())
        .execute();
      const done = await trx.selectFrom(set.table).select('name').where('name', '=', name).executeTakeFirst();
      if (done !== undefined) return false;
      try {
        await set.migrations[name]!.up(trx);
      } catch (error) {
        throw new VestnikError('INTERNAL', `Migration ${set.table}/${name} failed: ${String(error)}`);
      }
      await trx.insertInto(set.table).values({ name, executed_at: Date.now() }).execute();
      return true;
    });
    if (ran) applied.push(name);
  }
  return applied;
}

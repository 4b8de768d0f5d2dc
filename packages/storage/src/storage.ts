// The Storage port: a database that the collaboration system, and the application beside it, keep
// their tables in, reached through one query layer (Kysely) so that every adapter runs the same
// queries. As with Kysely's dialects, an adapter is a small bundle: how to connect, what the
// database can do (capability flags), how to lock, and how to read its driver's errors. Nothing
// outside an adapter package names a database kind or a driver error code.

import type { Kysely, Transaction } from 'kysely';

/** What a driver error means for the caller, where it means something the caller can act on. */
export type StorageErrorKind =
  /** A unique or primary-key constraint refused the write: someone else wrote that key first. */
  | 'unique-violation'
  /** The database is down, restarting, out of connections or busy: worth a retry later. */
  | 'unavailable';

export interface StorageCapabilities {
  /**
   * Several processes may write at once, so a read that decides a write must lock the rows it
   * read (`select ... for update` / `for share`). False where the database has one writer at a
   * time (SQLite), which also has no row locks.
   */
  readonly concurrentWriters: boolean;
  /**
   * `alter table` can add and drop constraints. False on SQLite, where a migration that changes a
   * constraint rebuilds the table instead.
   */
  readonly alterConstraints: boolean;
}

/**
 * A storage adapter. Applications that share the database with the collaboration system (the
 * store does) add their own tables to the same Kysely instance (`db.withTables<T>()`) and write
 * them in one transaction with the collaboration system's (`collab.transaction()`).
 *
 * @example
 * import { createSqliteStorage } from '@vestnik/storage-sqlite';
 * const storage = createSqliteStorage({ file: './data/vestnik.db' });
 * const collab = await createCollab({ storage });
 */
export interface Storage {
  /** The adapter's name, for logs and status pages (`sqlite`, `postgres`); never branched on. */
  readonly kind: string;
  readonly capabilities: StorageCapabilities;
  /** The database, typed with no tables: each user adds its own with `withTables`. */
  readonly db: Kysely<object>;
  /** Runs `fn` in one database transaction; commits if it resolves, rolls back if it throws. */
  transaction<T>(fn: (trx: Transaction<object>) => Promise<T>): Promise<T>;
  /**
   * Takes, inside `trx`, a lock that serializes every process migrating the set `name` until the
   * transaction ends (an advisory lock on PostgreSQL; SQLite's single writer needs none).
   */
  lockMigrations(trx: Transaction<object>, name: string): Promise<void>;
  /**
   * What a driver error means, or undefined for anything else (a bug, a bad query). Errors thrown
   * by queries on `db` already carry it (`storageErrorKind`, through `classifyingDialect`); this is
   * for errors the adapter's driver throws elsewhere.
   */
  classifyError(error: unknown): StorageErrorKind | undefined;
  close(): Promise<void>;
}

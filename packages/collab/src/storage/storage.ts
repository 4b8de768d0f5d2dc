// The Storage port: a database the collaboration system keeps its tables in, reached through one
// query layer (Kysely) so that every adapter runs the same queries. An adapter is only a bundle:
// how to connect, what the database can do, and how to close it (as Kysely's dialects are).

import type { Kysely, Transaction } from 'kysely';
import type { CollabDatabase } from './schema.js';

export interface StorageCapabilities {
  /** Several processes may write at once, so seq must be taken under a row lock (PostgreSQL). */
  readonly concurrentWriters: boolean;
}

/**
 * A storage adapter. Applications that share the database with the collaboration system (the store
 * does) add their own tables to the same Kysely instance and write them in `collab.transaction()`.
 *
 * @example
 * const storage = createSqliteStorage({ file: './data/vestnik.db' });
 * const collab = await createCollab({ storage });
 */
export interface Storage {
  readonly dialect: 'sqlite' | 'postgres';
  readonly capabilities: StorageCapabilities;
  readonly db: Kysely<CollabDatabase>;
  /** The schema the tables live in, where the database has schemas (PostgreSQL). */
  readonly schema?: string;
  /** Runs `fn` in one database transaction; commits if it resolves, rolls back if it throws. */
  transaction<T>(fn: (trx: Transaction<CollabDatabase>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

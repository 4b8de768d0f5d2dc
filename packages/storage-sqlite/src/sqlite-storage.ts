// SQLite through better-sqlite3, in WAL mode: the embedded default, one file, one process.

import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, type Transaction } from 'kysely';
import { classifyingDialect, type Storage } from '@vestnik/storage';
import { classifySqliteError } from './sqlite-errors.js';
import { cachePreparedStatements } from './statement-cache.js';

export interface SqliteStorageOptions {
  /** Path of the database file, or ':memory:'. */
  file: string;
  /**
   * `NORMAL` (default) survives a crash of the process (kill -9) without losing a committed
   * transaction; `FULL` also survives a power loss, at the cost of an fsync per commit.
   */
  synchronous?: 'NORMAL' | 'FULL';
  /**
   * Pages the write-ahead log may hold before a commit copies them into the database file
   * (default 10,000, about 40 MB; SQLite's own is 1,000). Fewer checkpoints copy a page that many
   * commits change (counters, the newest index pages) once instead of once per checkpoint.
   */
  walAutocheckpointPages?: number;
}

/**
 * Opens (creating if missing) a SQLite database file as a Storage.
 *
 * @example
 * const storage = createSqliteStorage({ file: './data/vestnik.db' });
 * const collab = await createCollab({ storage });
 */
export function createSqliteStorage(options: SqliteStorageOptions): Storage {
  const database = new Database(options.file);
  database.pragma('journal_mode = WAL');
  database.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  database.pragma(
    `wal_autocheckpoint = ${Math.max(0, Math.floor(options.walAutocheckpointPages ?? 10_000))}`,
  );
  const db = new Kysely<object>({
    dialect: classifyingDialect(
      new SqliteDialect({ database: cachePreparedStatements(database) }),
      classifySqliteError,
    ),
  });
  return {
    kind: 'sqlite',
    capabilities: { concurrentWriters: false, alterConstraints: false },
    db,
    transaction: <T>(fn: (trx: Transaction<object>) => Promise<T>) => db.transaction().execute(fn),
    // One writer at a time: a migration's transaction already excludes every other writer.
    lockMigrations: async () => {},
    classifyError: classifySqliteError,
    close: () => db.destroy(),
  };
}

// PostgreSQL through `pg`: the storage for several nodes. Seq is taken under the conversation
// row's lock (see the message queries), which makes it follow commit order.

import pg from 'pg';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import type { CollabDatabase } from '../schema.js';
import type { Storage } from '../storage.js';

export interface PostgresStorageOptions {
  /** A connection string, e.g. postgres://user@127.0.0.1:5432/vestnik */
  url: string;
  /** Schema to keep the tables in (created if missing); `public` by default. */
  schema?: string;
  /** Connections in the pool (10 by default). */
  poolSize?: number;
}

const INT8_OID = 20;

export function createPostgresStorage(options: PostgresStorageOptions): Storage {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`PostgreSQL schema name "${schema}" is not a plain lower-case identifier`);
  }
  // Times and seqs are bigint columns; they stay far below 2^53, so read them as numbers.
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format),
  };
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    types,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client whose server went away must not take the process down; the next query reconnects.
  pool.on('error', () => {});
  // Nor may a checked-out one (pg-pool listens only while a client is idle): a connection dropped
  // inside a transaction fails that transaction's next query, which the caller sees.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<CollabDatabase>({
    dialect: new PostgresDialect({
      pool: async () => {
        if (schema) {
          const client = await pool.connect();
          try {
            await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).catch((error: { code?: string }) => {
              // Two nodes creating it at once: IF NOT EXISTS does not stop the loser's unique violation.
              if (error.code !== '23505' && error.code !== '42P06') throw error;
            });
          } finally {
            client.release();
          }
        }
        return pool;
      },
    }),
  });
  return {
    dialect: 'postgres',
    schema: schema ?? 'public',
    capabilities: { concurrentWriters: true },
    db,
    transaction: <T>(fn: (trx: Transaction<CollabDatabase>) => Promise<T>) => db.transaction().execute(fn),
    close: () => db.destroy(),
  };
}

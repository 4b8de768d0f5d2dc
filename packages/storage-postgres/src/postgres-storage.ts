// PostgreSQL through `pg`: the storage for several nodes. Seq is taken under the conversation
// row's lock (see the message queries), which makes it follow commit order.

import pg from 'pg';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import { classifyingDialect, type Storage } from '@vestnik/storage';
import { classifyPostgresError, UNIQUE_VIOLATION } from './postgres-errors.js';
import { isSchemaName } from './schema-name.js';

export interface PostgresStorageOptions {
  /** A connection string, e.g. postgres://user@127.0.0.1:5432/vestnik */
  url: string;
  /** Schema to keep the tables in (created if missing); `public` by default. */
  schema?: string;
  /** Connections in the pool (10 by default). */
  poolSize?: number;
}

const INT8_OID = 20;
const DUPLICATE_SCHEMA = '42P06';

/**
 * Opens a pool to a PostgreSQL database as a Storage (connections are made when first needed).
 *
 * @example
 * const storage = createPostgresStorage({ url: 'postgres://vestnik@db:5432/vestnik', schema: 'store' });
 */
export function createPostgresStorage(options: PostgresStorageOptions): Storage {
  const schema = options.schema;
  if (schema !== undefined && !isSchemaName(schema)) {
    throw new Error(`PostgreSQL schema name "${schema}" is not a plain lower-case identifier`);
  }
  // Times and seqs are bigint columns; they stay far below 2^53, so read them as numbers.
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary'): ((value: string) => unknown) =>
      oid === INT8_OID
        ? (value: string) => Number(value)
        : (pg.types.getTypeParser(oid, format) as (value: string) => unknown),
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
  const db = new Kysely<object>({
    dialect: classifyingDialect(
      new PostgresDialect({
        pool: async () => {
          if (schema) {
            const client = await pool.connect();
            try {
              await client
                .query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
                .catch((error: { code?: string }) => {
                  // Two nodes creating it at once: IF NOT EXISTS does not stop the loser's unique violation.
                  if (error.code !== UNIQUE_VIOLATION && error.code !== DUPLICATE_SCHEMA) throw error;
                });
            } finally {
              client.release();
            }
          }
          return pool;
        },
      }),
      classifyPostgresError,
    ),
  });
  return {
    kind: 'postgres',
    capabilities: { concurrentWriters: true, alterConstraints: true },
    db,
    transaction: <T>(fn: (trx: Transaction<object>) => Promise<T>) => db.transaction().execute(fn),
    // Held until the transaction ends; every node migrating the same set waits its turn here.
    lockMigrations: async (trx, name) => {
      await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
    },
    classifyError: classifyPostgresError,
    close: () => db.destroy(),
  };
}

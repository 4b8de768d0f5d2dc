// Tells what a storage's error means without its callers knowing any driver: a database that is
// down or busy (worth a retry), or a unique constraint that another writer won. The only place
// outside the adapters that knows the driver error codes (PostgreSQL, SQLite, Node's sockets).

/** What a storage error means to the code above the storage. */
export type StorageErrorKind = 'unavailable' | 'unique-violation';

/** A database that does not answer, is restarting, or is too busy: the same call may succeed later. */
const unavailable = new Set([
  // Node's sockets: the database's host refuses, drops or does not answer the connection.
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  // PostgreSQL: admin_shutdown, cannot_connect_now (starting up), too_many_connections.
  '57P01',
  '57P03',
  '53300',
  // SQLite: another connection holds the lock for longer than the busy timeout.
  'SQLITE_BUSY',
]);

const uniqueViolation = new Set(['23505', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

/**
 * Classifies an error thrown by a storage (or by a query on its Kysely instance); `undefined` for
 * anything else, a bug included.
 *
 * @example
 * if (classifyStorageError(error) === 'unique-violation') throw loginTaken(login);
 */
export function classifyStorageError(error: unknown): StorageErrorKind | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  if (typeof code !== 'string') return undefined;
  if (unavailable.has(code)) return 'unavailable';
  if (uniqueViolation.has(code)) return 'unique-violation';
  return undefined;
}

// better-sqlite3's error codes, read for the caller: which refusals are a duplicate key and which
// mean the database is busy (another process holds the write lock past the busy timeout).

import type { StorageErrorKind } from '@vestnik/storage';

const UNIQUE = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);
const UNAVAILABLE = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_TIMEOUT', 'SQLITE_LOCKED']);

export function classifySqliteError(error: unknown): StorageErrorKind | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  if (typeof code !== 'string') return undefined;
  if (UNIQUE.has(code)) return 'unique-violation';
  if (UNAVAILABLE.has(code)) return 'unavailable';
  return undefined;
}

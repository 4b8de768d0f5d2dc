// better-sqlite3 compiles a statement on every prepare(); Kysely prepares on every query. Keeping
// the compiled statements by SQL text removes most of the per-query cost.

import type { Database, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

const CACHE_LIMIT = 500;

export function cachePreparedStatements(database: Database): SqliteDatabase {
  const cache = new Map<string, Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (statement === undefined) {
        statement = database.prepare(sql);
        if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

// Multi-row inserts of the hot path, compiled once per table, columns and row count (collab's
// runCompiled): saving an order writes a handful of rows, and building that statement anew each
// time cost more than running it.

import { runCompiled } from '@vestnik/collab';
import type { StoreDb, StoreTables } from './schema.js';

/** More rows than this are rare (big orders); they are built each time rather than cached. */
const MAX_COMPILED_ROWS = 16;

/** Inserts `rows`, which all have the same columns (the first row's keys). */
export async function insertRows(
  db: StoreDb,
  table: keyof StoreTables & string,
  rows: ReadonlyArray<Readonly<Record<string, unknown>>>,
): Promise<void> {
  const first = rows[0];
  if (first === undefined) return;
  // Kysely types `values` by table; the callers pass that table's columns.
  const build = (values: Array<Record<string, unknown>>) => db.insertInto(table).values(values as never);
  if (rows.length > MAX_COMPILED_ROWS) {
    await build(rows.map((row) => ({ ...row }))).execute();
    return;
  }
  const columns = Object.keys(first);
  const args = rows.flatMap((row) => columns.map((column) => row[column]));
  const name = `store.insert.${table}.${rows.length}.${columns.join(',')}`;
  await runCompiled(db, name, args, (...p) =>
    build(
      rows.map((_, r) => Object.fromEntries(columns.map((column, c) => [column, p[r * columns.length + c]]))),
    ),
  );
}

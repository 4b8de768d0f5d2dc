// Queries of the hot path, built and compiled by Kysely once per database kind and then run with
// new parameters: the message path skips the query builder and compiler on every call, and still
// runs through Kysely's executor (so inside the caller's transaction, on every dialect).

import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';

interface Prepared {
  compiled: CompiledQuery;
  /** For each parameter of the compiled SQL, which argument goes there. */
  order: number[];
}

const SENTINEL = '\u0000vestnik-argument-';
const cache = new WeakMap<object, Map<string, Prepared>>();

/**
 * Runs the query `build` makes, compiled once for this database kind. `build` receives one
 * placeholder per argument and must use each only as a bound value (never inline it).
 */
export async function runCompiled<R, D>(
  db: Kysely<D>,
  name: string,
  args: readonly unknown[],
  build: (...placeholders: string[]) => Compilable<R>,
): Promise<QueryResult<R>> {
  const adapter = db.getExecutor().adapter;
  let byName = cache.get(adapter);
  if (byName === undefined) cache.set(adapter, (byName = new Map()));
  let prepared = byName.get(name);
  if (prepared === undefined) {
    const placeholders = args.map((_, i) => `${SENTINEL}${i}`);
    const compiled = build(...placeholders).compile();
    const order = compiled.parameters.map((p) =>
      typeof p === 'string' && p.startsWith(SENTINEL) ? Number(p.slice(SENTINEL.length)) : -1,
    );
    if (order.includes(-1) || new Set(order).size !== args.length) {
      throw new Error(`compiled query ${name}: every argument must be bound exactly once`);
    }
    byName.set(name, (prepared = { compiled, order }));
  }
  const { compiled, order } = prepared;
  return db.executeQuery<R>({ ...compiled, parameters: order.map((i) => args[i]) } as CompiledQuery<R>);
}

// Queries of hot paths, built and compiled by Kysely once per database adapter and argument shape,
// then run with new arguments: the builder and compiler are skipped on every later call, and the
// query still runs through Kysely's executor (inside the caller's transaction, on every adapter).
//
// A definition is a value: it is its own cache key, so two queries can never share an entry by a
// clash of hand-made names. Arguments may be primitives, arrays or plain objects; each primitive
// is one bound parameter, and the shape (array lengths, object keys) picks the compiled statement,
// which is how `where id in (...)` and multi-row inserts get one statement per list length.

import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';

/** A query compiled once per adapter and argument shape; see `compiledQuery`. */
export interface CompiledQueryDefinition<D, A extends unknown[], R> {
  /** Runs the query on `db` (a transaction too) with `args` bound in place of the build's own. */
  readonly run: (db: Kysely<D>, ...args: A) => Promise<QueryResult<R>>;
}

interface Prepared {
  compiled: CompiledQuery;
  /** For each parameter of the compiled SQL, which argument leaf goes there. */
  order: number[];
}

const SENTINEL = '\u0000vestnik-argument-';
/** Shapes kept per definition and adapter; past that (lists of every length) a query is built each time. */
const MAX_SHAPES = 64;

/**
 * Defines a query compiled once per database adapter and argument shape. `build` is called with
 * stand-ins for the arguments on the first run of each shape, so it must use every argument only
 * as a bound value (in `where(column, '=', x)`, `values`, `set`, `limit`), never to choose what
 * the query is: not with `is` (`is null` is syntax, not a value) nor in `where({ ... })`. A build
 * that inlines a value or leaves an argument unused is refused when compiled. The cache is per
 * adapter: use one definition with one plugin set (`withPlugin`) and schema (`withSchema`).
 *
 * @example
 * const userById = compiledQuery((db: Kysely<Tables>, id: string) =>
 *   db.selectFrom('users').selectAll().where('id', '=', id),
 * );
 * const { rows } = await userById.run(db, 'u-17');
 *
 * const usersIn = compiledQuery((db: Kysely<Tables>, ids: string[]) =>
 *   db.selectFrom('users').selectAll().where('id', 'in', ids),
 * ); // compiled once per list length
 */
export function compiledQuery<D, A extends unknown[], R>(
  build: (db: Kysely<D>, ...args: A) => Compilable<R>,
): CompiledQueryDefinition<D, A, R> {
  const byAdapter = new WeakMap<object, Map<string, Prepared>>();
  return {
    async run(db, ...args) {
      const leaves: unknown[] = [];
      const shape = shapeOf(args, leaves);
      const adapter = db.getExecutor().adapter;
      let byShape = byAdapter.get(adapter);
      if (byShape === undefined) byAdapter.set(adapter, (byShape = new Map<string, Prepared>()));
      let prepared = byShape.get(shape);
      if (prepared === undefined) {
        if (byShape.size >= MAX_SHAPES) return runBuilt(db, build, args);
        const counter = { next: 0 };
        // The stand-ins are strings whatever the argument's type: the one place that pretends.
        const compiled = build(db, ...(standIns(args, counter) as A)).compile();
        const order = compiled.parameters.map((p) =>
          typeof p === 'string' && p.startsWith(SENTINEL) ? Number(p.slice(SENTINEL.length)) : -1,
        );
        if (order.includes(-1) || new Set(order).size !== leaves.length) {
          throw new Error(
            `compiled query ${describe(build)}: every argument must be bound exactly once, as a value`,
          );
        }
        byShape.set(shape, (prepared = { compiled, order }));
      }
      const { compiled, order } = prepared;
      return db.executeQuery<R>({ ...compiled, parameters: order.map((i) => leaves[i]) });
    },
  };
}

function runBuilt<D, A extends unknown[], R>(
  db: Kysely<D>,
  build: (db: Kysely<D>, ...args: A) => Compilable<R>,
  args: A,
): Promise<QueryResult<R>> {
  return db.executeQuery(build(db, ...args).compile());
}

/** Plain objects are structure (rows of an insert); any other object (a Date, a Buffer) is a leaf. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The arguments' shape as a key, collecting their leaves in order. */
function shapeOf(value: unknown, leaves: unknown[]): string {
  if (Array.isArray(value)) {
    let key = '[';
    for (const item of value) key += shapeOf(item, leaves);
    return `${key}]`;
  }
  if (isPlainObject(value)) {
    let key = '{';
    for (const name of Object.keys(value)) key += `${name}:${shapeOf(value[name], leaves)},`;
    return `${key}}`;
  }
  // An undefined field is left out by Kysely (`values({ a: undefined })`): part of the shape.
  if (value === undefined) return 'u';
  leaves.push(value);
  // Null and booleans are bound like any value, but kept apart in the key, so that a statement
  // compiled for a string never serves them (nor the other way round).
  return value === null ? 'n' : typeof value === 'boolean' ? 'b' : '.';
}

/** The arguments with each leaf replaced by its stand-in, in the order `shapeOf` collects them. */
function standIns(value: unknown, counter: { next: number }): unknown {
  if (Array.isArray(value)) return value.map((item) => standIns(item, counter));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.keys(value).map((name) => [name, standIns(value[name], counter)]));
  }
  if (value === undefined) return undefined;
  return `${SENTINEL}${counter.next++}`;
}

function describe(build: (...args: never[]) => unknown): string {
  return build.name || build.toString().slice(0, 80);
}

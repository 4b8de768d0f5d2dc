// Driver errors marked with what they mean, where they are thrown: an adapter wraps its Kysely
// dialect with `classifyingDialect`, and from then on any code that catches an error from a query
// on that storage (the collaboration system, the application, an HTTP error mapper) can ask
// `storageErrorKind(error)` without knowing which database, or which driver code, it came from.

import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  QueryResult,
  TransactionSettings,
} from 'kysely';
import type { StorageErrorKind } from './storage.js';

const KIND = Symbol('vestnik.storageErrorKind');

type Classify = (error: unknown) => StorageErrorKind | undefined;

/**
 * What a thrown error means, if a storage marked it: a duplicate key, or a database that is away.
 *
 * @example
 * try { await db.insertInto('users').values(user).execute(); }
 * catch (error) { if (storageErrorKind(error) === 'unique-violation') throw loginTaken(user.login); throw error; }
 */
export function storageErrorKind(error: unknown): StorageErrorKind | undefined {
  return typeof error === 'object' && error !== null
    ? (error as { [KIND]?: StorageErrorKind })[KIND]
    : undefined;
}

/**
 * Marks `error` with what it means, for `storageErrorKind` to read: for an adapter whose driver
 * throws outside Kysely's queries (a pool's own connect), and for tests of code that catches
 * storage errors. Returns the error, to be thrown.
 */
export function markStorageError<E extends object>(error: E, kind: StorageErrorKind): E {
  if (!(KIND in error)) Object.defineProperty(error, KIND, { value: kind, enumerable: false });
  return error;
}

function marked(error: unknown, classify: Classify): unknown {
  if (typeof error === 'object' && error !== null && !(KIND in error)) {
    const kind = classify(error);
    if (kind !== undefined) Object.defineProperty(error, KIND, { value: kind, enumerable: false });
  }
  return error;
}

/** `dialect` whose driver marks every error it throws with `classify`'s verdict. */
export function classifyingDialect(dialect: Dialect, classify: Classify): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createDriver: () => new ClassifyingDriver(dialect.createDriver(), classify),
  };
}

class ClassifyingConnection implements DatabaseConnection {
  readonly inner: DatabaseConnection;
  readonly #classify: Classify;

  constructor(inner: DatabaseConnection, classify: Classify) {
    this.inner = inner;
    this.#classify = classify;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return await this.inner.executeQuery<R>(query);
    } catch (error) {
      throw marked(error, this.#classify);
    }
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    try {
      yield* this.inner.streamQuery<R>(query, chunkSize);
    } catch (error) {
      throw marked(error, this.#classify);
    }
  }
}

// The driver hands its own connection objects back to itself (release, transactions), so each
// call forwards the inner connection, never the wrapper.
class ClassifyingDriver implements Driver {
  readonly #inner: Driver;
  readonly #classify: Classify;
  readonly savepoint?: Driver['savepoint'];
  readonly rollbackToSavepoint?: Driver['rollbackToSavepoint'];
  readonly releaseSavepoint?: Driver['releaseSavepoint'];

  constructor(inner: Driver, classify: Classify) {
    this.#inner = inner;
    this.#classify = classify;
    // Savepoints are optional in a driver: offered here only where the inner driver has them.
    if (inner.savepoint) {
      this.savepoint = (c, name, compile) => this.#run(() => inner.savepoint!(unwrap(c), name, compile));
    }
    if (inner.rollbackToSavepoint) {
      this.rollbackToSavepoint = (c, name, compile) =>
        this.#run(() => inner.rollbackToSavepoint!(unwrap(c), name, compile));
    }
    if (inner.releaseSavepoint) {
      this.releaseSavepoint = (c, name, compile) =>
        this.#run(() => inner.releaseSavepoint!(unwrap(c), name, compile));
    }
  }

  async #run<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw marked(error, this.#classify);
    }
  }

  init(): Promise<void> {
    return this.#run(() => this.#inner.init());
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new ClassifyingConnection(await this.#run(() => this.#inner.acquireConnection()), this.#classify);
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#run(() => this.#inner.beginTransaction(unwrap(connection), settings));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#run(() => this.#inner.commitTransaction(unwrap(connection)));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#run(() => this.#inner.rollbackTransaction(unwrap(connection)));
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.#inner.releaseConnection(unwrap(connection));
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }
}

function unwrap(connection: DatabaseConnection): DatabaseConnection {
  return connection instanceof ClassifyingConnection ? connection.inner : connection;
}

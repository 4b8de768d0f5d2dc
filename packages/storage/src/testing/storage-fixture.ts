// What a storage adapter gives the conformance suites and the tests of every package: fresh, empty
// storages of its kind, and a way to remove all it made.

import type { Storage } from '../storage.js';

export interface StorageFixture {
  /** The adapter's kind, as `Storage.kind`, for test names. */
  readonly name: string;
  /** A new empty storage; `share` opens another connection to the same one (another "node"). */
  create(): Promise<{ storage: Storage; share: () => Storage }>;
  /** Removes everything the fixture made (files, schemas). */
  dispose(): Promise<void>;
}

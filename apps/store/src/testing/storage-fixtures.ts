// The storages the store's tests run on here: SQLite always, PostgreSQL when it answers.

import type { StorageFixture } from '@vestnik/storage/testing';
import { postgresFixture } from '@vestnik/storage-postgres/testing';
import { sqliteFixture } from '@vestnik/storage-sqlite/testing';
import { postgresUrl, serviceAvailable } from '@vestnik/testing';

export async function availableFixtures(): Promise<StorageFixture[]> {
  return [sqliteFixture(), ...((await serviceAvailable('postgres')) ? [postgresFixture(postgresUrl)] : [])];
}

// classifyStorageError on what the drivers really throw: a unique violation on both dialects, a
// PostgreSQL server that refuses connections, and anything else (left unclassified).

import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { serviceAvailable } from '../testing/services.js';
import { postgresFixture, sqliteFixture, type StorageFixture } from '../testing/storage-fixtures.js';
import { classifyStorageError } from './classify-error.js';
import { createPostgresStorage } from './postgres/postgres-storage.js';

const fixtures: StorageFixture[] = [
  sqliteFixture(),
  ...((await serviceAvailable('postgres')) ? [postgresFixture()] : []),
];

afterAll(async () => {
  for (const fixture of fixtures) await fixture.dispose();
});

describe.each(fixtures)('classifyStorageError on $name', (fixture) => {
  it('names a unique violation', async () => {
    const { storage } = await fixture.create();
    try {
      await sql`create table t (k text primary key, u text unique)`.execute(storage.db);
      await sql`insert into t values ('a', 'x')`.execute(storage.db);
      const duplicateKey = await sql`insert into t values ('a', 'y')`.execute(storage.db).catch((e) => e);
      const duplicateUnique = await sql`insert into t values ('b', 'x')`.execute(storage.db).catch((e) => e);
      expect(classifyStorageError(duplicateKey)).toBe('unique-violation');
      expect(classifyStorageError(duplicateUnique)).toBe('unique-violation');
      const syntax = await sql`select * from no_such_table`.execute(storage.db).catch((e) => e);
      expect(classifyStorageError(syntax)).toBeUndefined();
    } finally {
      await storage.close();
    }
  });
});

it('names a PostgreSQL server that refuses connections as unavailable', async () => {
  // A port that was just free: nothing listens on it.
  const port = await new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
  const storage = createPostgresStorage({ url: `postgres://postgres@127.0.0.1:${port}/none` });
  try {
    const error = await sql`select 1`.execute(storage.db).catch((e: unknown) => e);
    expect(classifyStorageError(error)).toBe('unavailable');
  } finally {
    await storage.close();
  }
});

it('leaves plain errors and non-errors unclassified', () => {
  expect(classifyStorageError(new Error('boom'))).toBeUndefined();
  expect(classifyStorageError(Object.assign(new Error('x'), { code: 'FST_ERR_VALIDATION' }))).toBeUndefined();
  expect(classifyStorageError(null)).toBeUndefined();
  expect(classifyStorageError('ECONNREFUSED')).toBeUndefined();
});

// Fresh PostgreSQL storages for tests: each in a schema of its own (so that test files, and
// developers, running at once never share tables), dropped by dispose.

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Storage } from '@vestnik/storage';
import type { StorageFixture } from '@vestnik/storage/testing';
import { createPostgresStorage } from '../postgres-storage.js';

export interface PostgresFixture extends StorageFixture {
  /** As every fixture's, and the schema's name, for another process to open the same tables. */
  create(): Promise<{ storage: Storage; share: () => Storage; schema: string }>;
}

export function postgresFixture(url: string): PostgresFixture {
  const schemas: string[] = [];
  return {
    name: 'postgres',
    async create() {
      const schema = `vestnik_test_${randomBytes(6).toString('hex')}`;
      schemas.push(schema);
      const open = () => createPostgresStorage({ url, schema });
      return { storage: open(), share: open, schema };
    },
    async dispose() {
      if (schemas.length === 0) return;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        for (const schema of schemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

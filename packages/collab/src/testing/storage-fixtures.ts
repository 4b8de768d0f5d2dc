// Fresh, empty storages for tests: a temporary SQLite file, or a PostgreSQL schema of its own (so
// that test files, and developers, running at once never share tables).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Storage } from '../storage/storage.js';
import { createSqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { createPostgresStorage } from '../storage/postgres/postgres-storage.js';
import { postgresUrl, serviceAvailable } from './services.js';

export interface StorageFixture {
  readonly name: 'sqlite' | 'postgres';
  /** A new empty storage; `share` opens another connection to the same one (another "node"). */
  create(): Promise<{ storage: Storage; share(): Storage }>;
  /** Removes everything the fixture made. */
  dispose(): Promise<void>;
}

export function sqliteFixture(): StorageFixture {
  const dirs: string[] = [];
  return {
    name: 'sqlite',
    async create() {
      const dir = mkdtempSync(path.join(tmpdir(), 'vestnik-test-'));
      dirs.push(dir);
      const file = path.join(dir, 'collab.db');
      return { storage: createSqliteStorage({ file }), share: () => createSqliteStorage({ file }) };
    },
    async dispose() {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function postgresFixture(): StorageFixture {
  const schemas: string[] = [];
  return {
    name: 'postgres',
    async create() {
      const schema = `vestnik_test_${randomBytes(6).toString('hex')}`;
      schemas.push(schema);
      const open = () => createPostgresStorage({ url: postgresUrl, schema });
      return { storage: open(), share: open };
    },
    async dispose() {
      if (schemas.length === 0) return;
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      try {
        for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** The storages a test runs on here: SQLite always, PostgreSQL when it answers (`serviceAvailable`). */
export async function availableFixtures(): Promise<StorageFixture[]> {
  return [sqliteFixture(), ...((await serviceAvailable('postgres')) ? [postgresFixture()] : [])];
}

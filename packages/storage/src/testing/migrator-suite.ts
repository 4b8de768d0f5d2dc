// The migrator on an adapter: each migration once, in name order, even when several nodes start at
// once under the adapter's migration lock.

import { describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { runMigrations, type MigrationSet } from '../migrator.js';
import type { StorageFixture } from './storage-fixture.js';

function countingSet(log: string[]): MigrationSet {
  const step = (name: string) => ({
    async up(db: Kysely<unknown>) {
      log.push(name);
      await db.schema.createTable(`t_${name}`).addColumn('id', 'integer').execute();
    },
  });
  return { table: 'test_migrations', migrations: { b_second: step('b_second'), a_first: step('a_first') } };
}

export function migratorSuite(fixture: StorageFixture): void {
  describe('migrator', () => {
    it('runs each migration once, in name order, also when nodes start together', async () => {
      const { storage, share } = await fixture.create();
      // One writer at a time (SQLite): a second connection in this process would only wait for the first.
      const other = storage.capabilities.concurrentWriters ? share() : storage;
      const log: string[] = [];
      const set = countingSet(log);
      const results = await Promise.all([runMigrations(storage, set), runMigrations(other, set)]);
      expect(log).toEqual(['a_first', 'b_second']);
      expect(results.flat().sort()).toEqual(['a_first', 'b_second']);
      expect(await runMigrations(storage, set)).toEqual([]);
      if (other !== storage) await other.close();
      await storage.close();
    });

    it('stops where asked and reports a failing migration by name', async () => {
      const { storage } = await fixture.create();
      const log: string[] = [];
      expect(await runMigrations(storage, countingSet(log), 'a_first')).toEqual(['a_first']);
      const broken: MigrationSet = {
        table: 'test_migrations',
        migrations: {
          c_broken: {
            async up() {
              throw new Error('boom');
            },
          },
        },
      };
      const failure = await runMigrations(storage, broken).then(
        () => undefined,
        (error: unknown) => error as { code?: string; message?: string },
      );
      expect(failure?.code).toBe('INTERNAL');
      expect(failure?.message).toContain('test_migrations/c_broken');
      await storage.close();
    });
  });
}

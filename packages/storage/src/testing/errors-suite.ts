// The adapter reads its driver's errors: a duplicate key is a unique violation, a bad query is
// nothing the caller can act on.

import { describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { storageErrorKind } from '../classified-errors.js';
import type { StorageFixture } from './storage-fixture.js';

type Tables = { classified_keys: { id: string } };

export function errorsSuite(fixture: StorageFixture): void {
  describe('classifyError', () => {
    async function open() {
      const { storage } = await fixture.create();
      const db: Kysely<object & Tables> = storage.db.withTables<Tables>();
      await db.schema
        .createTable('classified_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .execute();
      return { storage, db };
    }

    it('tells a unique violation from other errors', async () => {
      const { storage, db } = await open();
      try {
        await db.insertInto('classified_keys').values({ id: 'k' }).execute();
        const duplicate = await db
          .insertInto('classified_keys')
          .values({ id: 'k' })
          .execute()
          .then(
            () => undefined,
            (error: unknown) => error,
          );
        expect(duplicate).toBeDefined();
        expect(storage.classifyError(duplicate)).toBe('unique-violation');
        // Marked where it was thrown, so that code without the storage at hand can tell.
        expect(storageErrorKind(duplicate)).toBe('unique-violation');
        const badQuery = await sql`select * from no_such_table`.execute(db).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(badQuery).toBeDefined();
        expect(storage.classifyError(badQuery)).toBeUndefined();
        expect(storageErrorKind(badQuery)).toBeUndefined();
        expect(storage.classifyError(new Error('plain'))).toBeUndefined();
        expect(storage.classifyError(undefined)).toBeUndefined();
      } finally {
        await storage.close();
      }
    });

    it('rolls a transaction back when its function throws', async () => {
      const { storage, db } = await open();
      try {
        await expect(
          storage.transaction(async (trx) => {
            await trx.withTables<Tables>().insertInto('classified_keys').values({ id: 'gone' }).execute();
            throw new Error('roll back');
          }),
        ).rejects.toThrow('roll back');
        // Inside a transaction too, the error is marked.
        const inside = await storage
          .transaction(async (trx) => {
            const tdb = trx.withTables<Tables>();
            await tdb.insertInto('classified_keys').values({ id: 'twice' }).execute();
            await tdb.insertInto('classified_keys').values({ id: 'twice' }).execute();
          })
          .then(
            () => undefined,
            (error: unknown) => error,
          );
        expect(storageErrorKind(inside)).toBe('unique-violation');
        expect(await db.selectFrom('classified_keys').selectAll().execute()).toEqual([]);
      } finally {
        await storage.close();
      }
    });
  });
}

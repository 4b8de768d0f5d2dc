// Migrations over data written by an older version, on every adapter: 0002 moves the uniqueness of
// idempotency keys to a partial index (rebuilding the messages table where constraints cannot be
// altered) and keeps every message.

import { describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { storageErrorKind } from '@vestnik/storage';
import type { StorageFixture } from '@vestnik/storage/testing';
import { migrateCollab } from '../storage/migrations.js';
import type { CollabDatabase } from '../storage/schema.js';

export function migrationsSuite(fixture: StorageFixture): void {
  describe('migration 0002 (partial index of idempotency keys)', () => {
    it('keeps the messages of a 0001 database, and keys stay unique while many messages have none', async () => {
      const { storage } = await fixture.create();
      const db: Kysely<CollabDatabase> = storage.db.withTables<CollabDatabase>();
      const refused = (promise: Promise<unknown>) =>
        promise.then(
          () => undefined,
          (error: unknown) => storageErrorKind(error),
        );
      try {
        await migrateCollab(storage, '0001_initial');
        await db
          .insertInto('collab_conversations')
          .values({
            id: 'c',
            key: 'k',
            title: '',
            displayed: 1,
            kind: 'group',
            context_type: null,
            context_id: null,
            created_at: 0,
          })
          .execute();
        const row = (seq: number, idempotency_key: string | null) => ({
          conversation_id: 'c',
          seq,
          id: `m${seq}`,
          author_id: null,
          created_at: seq,
          text: `text ${seq}`,
          data: '{"n":1}',
          recipients: null,
          idempotency_key,
        });
        await db
          .insertInto('collab_messages')
          .values([row(1, 'key-1'), row(2, null)])
          .execute();

        await migrateCollab(storage);

        const rows = await db.selectFrom('collab_messages').selectAll().orderBy('seq').execute();
        expect(rows).toEqual([row(1, 'key-1'), row(2, null)]);
        await db
          .insertInto('collab_messages')
          .values([row(3, null), row(4, null)])
          .execute();
        expect(await refused(db.insertInto('collab_messages').values(row(5, 'key-1')).execute())).toBe(
          'unique-violation',
        );
        expect(
          await refused(
            db
              .insertInto('collab_messages')
              .values({ ...row(6, null), id: 'm1' })
              .execute(),
          ),
        ).toBe('unique-violation');
      } finally {
        await storage.close();
      }
    });
  });
}

// Migrations over data written by an older version: 0002 rebuilds the messages table on SQLite.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateCollab } from './migrations.js';
import { createSqliteStorage } from './sqlite/sqlite-storage.js';

describe('migration 0002 (partial index of idempotency keys)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vestnik-migrate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the messages of a 0001 database, and keys stay unique while many messages have none', async () => {
    const storage = createSqliteStorage({ file: path.join(dir, 'old.db') });
    const db = storage.db;
    try {
      await migrateCollab(db, 'sqlite', '0001_initial');
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

      await migrateCollab(db, 'sqlite');

      const rows = await db.selectFrom('collab_messages').selectAll().orderBy('seq').execute();
      expect(rows).toEqual([row(1, 'key-1'), row(2, null)]);
      await db
        .insertInto('collab_messages')
        .values([row(3, null), row(4, null)])
        .execute();
      await expect(db.insertInto('collab_messages').values(row(5, 'key-1')).execute()).rejects.toMatchObject({
        code: 'SQLITE_CONSTRAINT_UNIQUE',
      });
      await expect(
        db
          .insertInto('collab_messages')
          .values({ ...row(6, null), id: 'm1' })
          .execute(),
      ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    } finally {
      await storage.close();
    }
  });
});

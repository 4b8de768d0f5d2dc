// Versioned migrations of the collaboration tables, applied at start. Written once with Kysely's
// schema builder, so both dialects get the same tables. Never edit a migration that has shipped:
// add the next one.

import { sql, type Kysely, type Migration } from 'kysely';
import { runMigrations, type Storage, type StorageCapabilities } from '@vestnik/storage';

const migrations = (capabilities: StorageCapabilities): Record<string, Migration> => ({
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('collab_registration')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('application_name', 'text', (c) => c.notNull())
        .addColumn('registered_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('collab_users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('external_id', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('blocked', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('collab_conversations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('key', 'text', (c) => c.unique())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('displayed', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('context_type', 'text')
        .addColumn('context_id', 'text')
        .addColumn('last_seq', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('trimmed_seq', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('collab_conversations_context')
        .on('collab_conversations')
        .columns(['context_type', 'context_id'])
        .execute();
      await db.schema
        .createTable('collab_participants')
        .addColumn('conversation_id', 'text', (c) => c.notNull().references('collab_conversations.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('collab_users.id'))
        .addColumn('joined_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('collab_participants_pk', ['conversation_id', 'user_id'])
        .execute();
      await db.schema
        .createIndex('collab_participants_user')
        .on('collab_participants')
        .columns(['user_id', 'conversation_id'])
        .execute();
      await db.schema
        .createTable('collab_messages')
        .addColumn('conversation_id', 'text', (c) => c.notNull().references('collab_conversations.id'))
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('author_id', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('recipients', 'text')
        .addColumn('idempotency_key', 'text', (c) => c.unique())
        .addPrimaryKeyConstraint('collab_messages_pk', ['conversation_id', 'seq'])
        .execute();
      await db.schema
        .createTable('collab_message_recipients')
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('collab_message_recipients_pk', ['user_id', 'conversation_id', 'seq'])
        .execute();
    },
  },
  // Every message used to add an entry (NULL) to the unique index of idempotency keys, one more
  // page written per commit; only messages that have a key need to be in it.
  '0002_partial_idempotency_index': {
    async up(db: Kysely<unknown>) {
      if (!capabilities.alterConstraints) {
        // SQLite cannot drop a column's UNIQUE: rebuild the table without it.
        await createMessagesTable(db, 'collab_messages_0002');
        await sql`INSERT INTO collab_messages_0002 SELECT conversation_id, seq, id, author_id, created_at, text, data, recipients, idempotency_key FROM collab_messages`.execute(
          db,
        );
        await db.schema.dropTable('collab_messages').execute();
        await db.schema.alterTable('collab_messages_0002').renameTo('collab_messages').execute();
      } else {
        await db.schema
          .alterTable('collab_messages')
          .dropConstraint('collab_messages_idempotency_key_key')
          .execute();
      }
      await db.schema
        .createIndex('collab_messages_idempotency_key')
        .on('collab_messages')
        .column('idempotency_key')
        .unique()
        .where(sql.ref('idempotency_key'), 'is not', null)
        .execute();
    },
  },
});

/** collab_messages as of 0002: no UNIQUE on idempotency_key (a partial index holds it). */
async function createMessagesTable(db: Kysely<unknown>, name: string): Promise<void> {
  await db.schema
    .createTable(name)
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('collab_conversations.id'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('author_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('recipients', 'text')
    .addColumn('idempotency_key', 'text')
    .addPrimaryKeyConstraint(`${name}_pk`, ['conversation_id', 'seq'])
    .execute();
}

/** Brings the collaboration tables up to the newest version; safe to run on every start. */
export async function migrateCollab(
  storage: Storage,
  /** Stop after this migration (tests of a migration over older data); the newest by default. */
  upTo?: string,
): Promise<void> {
  await runMigrations(
    storage,
    { table: 'collab_migrations', migrations: migrations(storage.capabilities) },
    upTo,
  );
}

// Every query the collaboration system runs, written once for all dialects. Each takes the
// executor to run on: the database, or a transaction the caller opened.

import { sql, type Kysely } from 'kysely';
import type { Message } from '@vestnik/protocol';
import type { Conversation, ConversationFilter, ConversationSelector, User } from '../model.js';
import type { CollabDatabase } from './schema.js';
import { compiledQuery } from '@vestnik/storage';
import { toConversation, toMessage, toUser } from './rows.js';

export type Executor = Kysely<CollabDatabase>;

// Compiled once per adapter: the queries of every authentication, subscription and message.
const userById = compiledQuery((db: Executor, id: string) =>
  db.selectFrom('collab_users').selectAll().where('id', '=', id),
);
const userByExternalId = compiledQuery((db: Executor, externalId: string) =>
  db.selectFrom('collab_users').selectAll().where('external_id', '=', externalId),
);
const conversationById = compiledQuery((db: Executor, id: string) =>
  db.selectFrom('collab_conversations').selectAll().where('id', '=', id),
);
const conversationByKey = compiledQuery((db: Executor, key: string) =>
  db.selectFrom('collab_conversations').selectAll().where('key', '=', key),
);
const conversationByIdForUpdate = compiledQuery((db: Executor, id: string) =>
  db.selectFrom('collab_conversations').selectAll().where('id', '=', id).forUpdate(),
);
const conversationByKeyForUpdate = compiledQuery((db: Executor, key: string) =>
  db.selectFrom('collab_conversations').selectAll().where('key', '=', key).forUpdate(),
);
const participant = compiledQuery((db: Executor, conversationId: string, userId: string) =>
  db
    .selectFrom('collab_participants')
    .select('user_id')
    .where('conversation_id', '=', conversationId)
    .where('user_id', '=', userId),
);
const participantBlocked = compiledQuery((db: Executor, conversationId: string, userId: string) =>
  db
    .selectFrom('collab_participants')
    .innerJoin('collab_users', 'collab_users.id', 'collab_participants.user_id')
    .select('collab_users.blocked')
    .where('collab_participants.conversation_id', '=', conversationId)
    .where('collab_participants.user_id', '=', userId),
);
const bumpSeq = compiledQuery((db: Executor, conversationId: string) =>
  db
    .updateTable('collab_conversations')
    .set({ last_seq: sql`last_seq + 1` })
    .where('id', '=', conversationId)
    .returning('last_seq'),
);
type MessageRow = CollabDatabase['collab_messages'];
const insertMessageRow = compiledQuery((db: Executor, row: MessageRow) =>
  db.insertInto('collab_messages').values(row),
);
const messagesAfter = (db: Executor, conversationId: string, after: number) =>
  db
    .selectFrom('collab_messages as m')
    .selectAll('m')
    .where('m.conversation_id', '=', conversationId)
    .where('m.seq', '>', after);
const readAll = compiledQuery((db: Executor, conversationId: string, after: number, limit: number) =>
  messagesAfter(db, conversationId, after).orderBy('m.seq').limit(limit),
);
const readAsUser = compiledQuery(
  (db: Executor, conversationId: string, after: number, author: string, recipient: string, limit: number) =>
    messagesAfter(db, conversationId, after)
      .where((eb) =>
        eb.or([
          eb('m.recipients', 'is', null),
          eb('m.author_id', '=', author),
          eb.exists(
            eb
              .selectFrom('collab_message_recipients as r')
              .select('r.seq')
              .where('r.user_id', '=', recipient)
              .whereRef('r.conversation_id', '=', 'm.conversation_id')
              .whereRef('r.seq', '=', 'm.seq'),
          ),
        ]),
      )
      .orderBy('m.seq')
      .limit(limit),
);

export async function readRegistration(db: Executor): Promise<string | undefined> {
  const row = await db
    .selectFrom('collab_registration')
    .select('application_name')
    .where('id', '=', 1)
    .executeTakeFirst();
  return row?.application_name;
}

export async function writeRegistration(db: Executor, applicationName: string | null): Promise<void> {
  await db.deleteFrom('collab_registration').execute();
  if (applicationName !== null) {
    await db
      .insertInto('collab_registration')
      .values({ id: 1, application_name: applicationName, registered_at: Date.now() })
      .execute();
  }
}

export async function insertUser(db: Executor, user: User): Promise<boolean> {
  const inserted = await db
    .insertInto('collab_users')
    .values({
      id: user.id,
      external_id: user.externalId,
      name: user.name,
      blocked: user.blocked ? 1 : 0,
      created_at: Date.now(),
    })
    .onConflict((oc) => oc.column('external_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function findUser(
  db: Executor,
  by: { id: string } | { externalId: string },
): Promise<User | undefined> {
  const { rows } = 'id' in by ? await userById.run(db, by.id) : await userByExternalId.run(db, by.externalId);
  return rows[0] && toUser(rows[0]);
}

/**
 * Users by id. `lock: 'share'` (PostgreSQL) holds their rows against a concurrent block until the
 * transaction ends, so a block either sees what this transaction adds or comes after it.
 */
export async function findUsers(
  db: Executor,
  ids: string[],
  options: { lock?: 'share' } = {},
): Promise<User[]> {
  if (ids.length === 0) return [];
  let query = db.selectFrom('collab_users').selectAll().where('id', 'in', ids);
  if (options.lock === 'share') query = query.forShare();
  return (await query.execute()).map(toUser);
}

/** Blocks a user who is not blocked yet; false when the user is already blocked or unknown. */
export async function blockUser(db: Executor, id: string): Promise<boolean> {
  const result = await db
    .updateTable('collab_users')
    .set({ blocked: 1 })
    .where('id', '=', id)
    .where('blocked', '=', 0)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function updateUser(db: Executor, id: string, change: { blocked?: boolean; name?: string }) {
  const result = await db
    .updateTable('collab_users')
    .set({
      ...(change.blocked === undefined ? {} : { blocked: change.blocked ? 1 : 0 }),
      ...(change.name === undefined ? {} : { name: change.name }),
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function insertConversation(db: Executor, conversation: Conversation): Promise<boolean> {
  const inserted = await db
    .insertInto('collab_conversations')
    .values({
      id: conversation.id,
      key: conversation.key,
      title: conversation.title,
      displayed: conversation.displayed ? 1 : 0,
      kind: conversation.kind,
      context_type: conversation.context?.$ref ?? null,
      context_id: conversation.context?.id ?? null,
      created_at: Date.now(),
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function findConversation(
  db: Executor,
  selector: ConversationSelector,
  options: { lock?: boolean } = {},
): Promise<Conversation | undefined> {
  const lock = options.lock === true;
  const { rows } =
    'id' in selector
      ? await (lock ? conversationByIdForUpdate : conversationById).run(db, selector.id)
      : await (lock ? conversationByKeyForUpdate : conversationByKey).run(db, selector.key);
  return rows[0] && toConversation(rows[0]);
}

/** A conversation's id and key, optionally locking its row until the transaction ends. */
export async function findConversationId(
  db: Executor,
  selector: ConversationSelector,
  options: { lock?: boolean } = {},
): Promise<{ id: string; key: string | null } | undefined> {
  let query = db.selectFrom('collab_conversations').select(['id', 'key']);
  query = 'id' in selector ? query.where('id', '=', selector.id) : query.where('key', '=', selector.key);
  if (options.lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function listConversations(db: Executor, filter: ConversationFilter): Promise<Conversation[]> {
  let query = db.selectFrom('collab_conversations').selectAll('collab_conversations');
  if (filter.displayed !== undefined) query = query.where('displayed', '=', filter.displayed ? 1 : 0);
  if (filter.context !== undefined) {
    query = query.where('context_type', '=', filter.context.$ref).where('context_id', '=', filter.context.id);
  }
  if (filter.participant !== undefined) {
    const userId = filter.participant;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('collab_participants as p')
          .select('p.user_id')
          .whereRef('p.conversation_id', '=', 'collab_conversations.id')
          .where('p.user_id', '=', userId),
      ),
    );
  }
  const rows = await query
    .orderBy('created_at')
    .orderBy('id')
    .limit(filter.limit ?? 100)
    .execute();
  return rows.map(toConversation);
}

export async function insertParticipants(db: Executor, conversationId: string, userIds: string[]) {
  if (userIds.length === 0) return 0;
  const now = Date.now();
  const rows = await db
    .insertInto('collab_participants')
    .values(userIds.map((user_id) => ({ conversation_id: conversationId, user_id, joined_at: now })))
    .onConflict((oc) => oc.columns(['conversation_id', 'user_id']).doNothing())
    .returning('user_id')
    .execute();
  return rows.length;
}

export async function deleteParticipants(db: Executor, conversationId: string, userIds: string[]) {
  if (userIds.length === 0) return [];
  const rows = await db
    .deleteFrom('collab_participants')
    .where('conversation_id', '=', conversationId)
    .where('user_id', 'in', userIds)
    .returning('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

export async function listParticipants(db: Executor, conversationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('collab_participants')
    .select('user_id')
    .where('conversation_id', '=', conversationId)
    .orderBy('joined_at')
    .orderBy('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

export async function isParticipant(db: Executor, conversationId: string, userId: string): Promise<boolean> {
  const { rows } = await participant.run(db, conversationId, userId);
  return rows.length > 0;
}

/** The conversations a user takes part in. */
export async function conversationsOfUser(db: Executor, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('collab_participants')
    .select('conversation_id')
    .where('user_id', '=', userId)
    .execute();
  return rows.map((r) => r.conversation_id);
}

/** A conversation's participants who are blocked. */
export async function blockedParticipants(db: Executor, conversationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('collab_participants')
    .innerJoin('collab_users', 'collab_users.id', 'collab_participants.user_id')
    .select('collab_participants.user_id')
    .where('collab_participants.conversation_id', '=', conversationId)
    .where('collab_users.blocked', '=', 1)
    .execute();
  return rows.map((r) => r.user_id);
}

/** Whether a user may read a conversation now: takes part and is not blocked. */
export async function participation(
  db: Executor,
  conversationId: string,
  userId: string,
): Promise<'participant' | 'blocked' | 'absent'> {
  const { rows } = await participantBlocked.run(db, conversationId, userId);
  const row = rows[0];
  return row === undefined ? 'absent' : row.blocked ? 'blocked' : 'participant';
}

/** Which of `userIds` take part in a conversation. */
export async function participantsAmong(
  db: Executor,
  conversationId: string,
  userIds: string[],
): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('collab_participants')
    .select('user_id')
    .where('conversation_id', '=', conversationId)
    .where('user_id', 'in', userIds)
    .execute();
  return new Set(rows.map((r) => r.user_id));
}

/** Takes the next seq of a conversation. Holds the row's lock until the transaction ends. */
export async function nextSeq(db: Executor, conversationId: string): Promise<number | undefined> {
  const { rows } = await bumpSeq.run(db, conversationId);
  return rows[0] && Number(rows[0].last_seq);
}

export async function findMessageByIdempotencyKey(db: Executor, key: string): Promise<Message | undefined> {
  const row = await db
    .selectFrom('collab_messages')
    .selectAll()
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  return row && toMessage(row);
}

export async function insertMessage(
  db: Executor,
  message: Message,
  dataJson: string,
  idempotencyKey: string | null,
): Promise<void> {
  await insertMessageRow.run(db, {
    conversation_id: message.conversationId,
    seq: message.seq,
    id: message.id,
    author_id: message.authorId,
    created_at: Date.parse(message.createdAt),
    text: message.text,
    data: dataJson,
    recipients: message.recipients.length === 0 ? null : JSON.stringify(message.recipients),
    idempotency_key: idempotencyKey,
  });
  if (message.recipients.length > 0) {
    await db
      .insertInto('collab_message_recipients')
      .values(
        message.recipients.map((user_id) => ({
          user_id,
          conversation_id: message.conversationId,
          seq: message.seq,
        })),
      )
      .execute();
  }
}

/** Messages after `after`, in seq order; with `asUser`, only those that user may see. */
export async function readMessages(
  db: Executor,
  conversationId: string,
  after: number,
  limit: number,
  asUser?: string,
): Promise<Message[]> {
  const { rows } =
    asUser === undefined
      ? await readAll.run(db, conversationId, after, limit)
      : await readAsUser.run(db, conversationId, after, asUser, asUser, limit);
  return rows.map(toMessage);
}

/** Removes a conversation's messages up to `seq` (retention). */
export async function trimMessages(db: Executor, conversationId: string, seq: number): Promise<void> {
  await db
    .deleteFrom('collab_message_recipients')
    .where('conversation_id', '=', conversationId)
    .where('seq', '<=', seq)
    .execute();
  await db
    .deleteFrom('collab_messages')
    .where('conversation_id', '=', conversationId)
    .where('seq', '<=', seq)
    .execute();
  await db
    .updateTable('collab_conversations')
    .set({ trimmed_seq: seq })
    .where('id', '=', conversationId)
    .where('trimmed_seq', '<', seq)
    .execute();
}

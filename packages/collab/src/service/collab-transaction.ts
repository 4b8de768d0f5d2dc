// The writing half of the collaboration system, bound to one database transaction. The application
// may write its own rows through `db` in the same transaction; messages written here are published
// only after the transaction commits, and never if it rolls back.

import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { VestnikError, type Message } from '@vestnik/protocol';
import type { BrokerEvent } from '../broker/broker.js';
import type { CollabLimits } from '../limits.js';
import type {
  Conversation,
  ConversationSelector,
  CreateConversationInput,
  CreateMessageInput,
  CreateUserInput,
  User,
} from '../model.js';
import * as q from '../storage/queries.js';
import type { CollabDatabase } from '../storage/schema.js';
import * as v from '../validate.js';
import type { ConversationIds } from './conversation-ids.js';
import { newMessageId } from './message-id.js';

/** What the transaction leaves to do once it has committed. */
export interface AfterCommit {
  events: Array<{ conversationId: string; event: BrokerEvent }>;
  /** Conversations this transaction found or made, to remember once they are surely committed. */
  conversations: Array<{ key: string | null; id: string }>;
}

/** What a transaction shares with the system that opened it. */
export interface TransactionContext {
  limits: CollabLimits;
  /** Several processes write at once (PostgreSQL): lock rows where a read decides a write. */
  concurrentWriters: boolean;
  /** Committed conversations' ids by key, so that a message needs no lookup. */
  conversationIds: ConversationIds;
}

export class CollabTransaction {
  /** The open transaction: write the application's own rows through it. */
  readonly db: Transaction<CollabDatabase>;
  readonly #limits: CollabLimits;
  readonly #after: AfterCommit;
  readonly #context: TransactionContext;

  constructor(db: Transaction<CollabDatabase>, context: TransactionContext, after: AfterCommit) {
    this.db = db;
    this.#limits = context.limits;
    this.#context = context;
    this.#after = after;
  }

  async createUser(input: CreateUserInput): Promise<User> {
    const args = v.requireObject(input, 'input');
    const user: User = {
      id: randomUUID(),
      externalId: v.requireString(args.externalId, 'externalId', this.#limits.maxNameLength),
      name: v.requireString(args.name, 'name', this.#limits.maxNameLength),
      blocked: false,
    };
    if (!(await q.insertUser(this.db, user))) {
      throw new VestnikError(
        'DUPLICATE_KEY',
        `A user with external id "${user.externalId}" already exists.`,
        {
          externalId: user.externalId,
        },
      );
    }
    return user;
  }

  /** Finds the user of an application user, creating it if missing; says which it did. */
  async ensureUser(input: CreateUserInput): Promise<{ user: User; created: boolean }> {
    const externalId = v.requireString(input?.externalId, 'externalId', this.#limits.maxNameLength);
    const existing = await q.findUser(this.db, { externalId });
    if (existing) return { user: existing, created: false };
    return { user: await this.createUser(input), created: true };
  }

  /**
   * Blocks or unblocks a user. Blocking ends the user's live subscriptions (USER_BLOCKED): once
   * the transaction commits, every conversation the user takes part in hears of it. Unblocking
   * restores nothing by itself; the user subscribes again.
   */
  async setUserBlocked(userId: string, blocked: boolean): Promise<void> {
    v.requireString(userId, 'userId', this.#limits.maxNameLength);
    if (typeof blocked !== 'boolean')
      throw new VestnikError('INVALID_ARGUMENT', 'blocked must be true or false.');
    if (!blocked || !(await q.blockUser(this.db, userId))) {
      // Unblocking, or already blocked (the earlier block ended the subscriptions): no event.
      if (!(await q.updateUser(this.db, userId, { blocked }))) throw userNotFound(userId);
      return;
    }
    // Read after the user's row is locked by the update: a transaction adding the user somewhere
    // holds that row shared (#requireUsers) and has committed by now, so its conversation is listed.
    for (const conversationId of await q.conversationsOfUser(this.db, userId)) {
      this.#after.events.push({ conversationId, event: { type: 'user-blocked', conversationId, userId } });
    }
  }

  async createConversation(input: CreateConversationInput = {}): Promise<Conversation> {
    const args = v.requireObject(input, 'input');
    const max = this.#limits.maxNameLength;
    const context = args.context === undefined ? null : v.requireObject(args.context, 'context');
    const kind = args.kind ?? 'group';
    if (kind !== 'group' && kind !== 'dialog') {
      throw new VestnikError('INVALID_ARGUMENT', 'kind must be "group" or "dialog".', { argument: 'kind' });
    }
    const participants = v.stringList(
      args.participants,
      'participants',
      this.#limits.maxParticipantsPerCall,
      max,
    );
    if (kind === 'dialog' && participants.length > 2) {
      throw new VestnikError('INVALID_ARGUMENT', 'A dialog has at most two participants.', {
        argument: 'participants',
      });
    }
    const conversation: Conversation = {
      id: randomUUID(),
      key: v.optionalString(args.key, 'key', max) ?? null,
      title: args.title === undefined ? '' : v.requireString(args.title, 'title', max, true),
      displayed: v.optionalBoolean(args.displayed, 'displayed') ?? true,
      kind,
      context: context && {
        $ref: v.requireString(context.$ref, 'context.$ref', max),
        id: v.requireString(context.id, 'context.id', max),
      },
      lastSeq: 0,
      trimmedSeq: 0,
    };
    await this.#requireUsers(participants);
    if (!(await q.insertConversation(this.db, conversation))) {
      throw new VestnikError(
        'DUPLICATE_KEY',
        `A conversation with key "${conversation.key}" already exists.`,
        {
          key: conversation.key,
        },
      );
    }
    await q.insertParticipants(this.db, conversation.id, participants);
    return conversation;
  }

  /** Adds users to a conversation; those already in it stay. Returns how many were added. */
  async addParticipants(selector: ConversationSelector, userIds: string[]): Promise<number> {
    const conversation = await this.#conversation(selector);
    const ids = v.stringList(
      userIds,
      'userIds',
      this.#limits.maxParticipantsPerCall,
      this.#limits.maxNameLength,
    );
    await this.#requireUsers(ids);
    return q.insertParticipants(this.db, conversation.id, ids);
  }

  /** Removes users from a conversation; their live subscriptions end. Returns the ids removed. */
  async removeParticipants(selector: ConversationSelector, userIds: string[]): Promise<string[]> {
    const conversation = await this.#conversation(selector);
    const ids = v.stringList(
      userIds,
      'userIds',
      this.#limits.maxParticipantsPerCall,
      this.#limits.maxNameLength,
    );
    const removed = await q.deleteParticipants(this.db, conversation.id, ids);
    if (removed.length > 0) {
      this.#after.events.push({
        conversationId: conversation.id,
        event: { type: 'participants-removed', conversationId: conversation.id, userIds: removed },
      });
    }
    return removed;
  }

  /**
   * Writes a message. It is published once the transaction commits. A repeated idempotency key
   * returns the message the key first made.
   */
  async createMessage(input: CreateMessageInput): Promise<Message> {
    const args = v.requireObject(input, 'input');
    const max = this.#limits.maxNameLength;
    const selector = v.conversationSelector(args.conversation, max);
    const text = v.requireString(args.text ?? '', 'text', this.#limits.maxTextLength, true);
    const { json, data } = v.serializeData(args.data, this.#limits);
    const authorId = v.optionalString(args.authorId, 'authorId', max) ?? null;
    const recipients = v.stringList(args.recipients, 'recipients', this.#limits.maxRecipients, max);
    const idempotencyKey = v.optionalString(args.idempotencyKey, 'idempotencyKey', max) ?? null;

    // With an idempotency key on PostgreSQL, the conversation row is locked before the key is
    // looked up: a racing writer with the same key waits here, then finds the first message,
    // instead of failing on the unique index and rolling back the caller's whole transaction.
    const lock = idempotencyKey !== null && this.#context.concurrentWriters;
    const conversationId = await this.#conversationId(selector, lock);
    if (idempotencyKey !== null) {
      const first = await q.findMessageByIdempotencyKey(this.db, idempotencyKey);
      if (first) return sameConversationOrThrow(first, conversationId, idempotencyKey);
    }
    const checked = authorId === null ? recipients : [authorId, ...recipients];
    if (checked.length > 0) {
      const present = await q.participantsAmong(this.db, conversationId, [...new Set(checked)]);
      if (authorId !== null && !present.has(authorId))
        throw notParticipant(conversationId, authorId, 'authorId');
      const absent = recipients.find((userId) => !present.has(userId));
      if (absent !== undefined) throw notParticipant(conversationId, absent, 'recipients');
    }

    const seq = await q.nextSeq(this.db, conversationId);
    if (seq === undefined) {
      this.#context.conversationIds.forget(conversationId); // only if someone deleted it by hand
      throw conversationNotFound(selector);
    }
    const message: Message = {
      id: newMessageId(),
      conversationId,
      seq,
      authorId,
      createdAt: new Date().toISOString(),
      text,
      data,
      recipients,
    };
    await q.insertMessage(this.db, message, json, idempotencyKey);
    this.#after.events.push({ conversationId, event: { type: 'message', message } });
    return message;
  }

  /** Removes a conversation's messages up to and including `seq` (retention). */
  async trimHistory(selector: ConversationSelector, seq: number): Promise<void> {
    const conversation = await this.#conversation(selector);
    const upTo = v.optionalInteger(seq, 'seq', 0, conversation.lastSeq) ?? 0;
    await q.trimMessages(this.db, conversation.id, upTo);
  }

  async #conversation(selector: ConversationSelector): Promise<Conversation> {
    const checked = v.conversationSelector(selector, this.#limits.maxNameLength);
    const conversation = await q.findConversation(this.db, checked);
    if (!conversation) throw conversationNotFound(checked);
    return conversation;
  }

  async #requireUsers(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    // Shared locks on PostgreSQL: a concurrent block waits for this transaction, then sees what it
    // added, so the block's event reaches the conversations joined here too.
    const lock = this.#context.concurrentWriters ? 'share' : undefined;
    const found = new Set((await q.findUsers(this.db, ids, { lock })).map((u) => u.id));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw new VestnikError('USER_NOT_FOUND', `No such user: ${missing.join(', ')}.`, { userIds: missing });
    }
  }

  /** The id of a conversation, without a query when it is already known to be committed. */
  async #conversationId(selector: ConversationSelector, lock: boolean): Promise<string> {
    const known = lock ? undefined : this.#context.conversationIds.get(selector);
    if (known !== undefined) return known;
    const found = await q.findConversationId(this.db, selector, { lock });
    if (!found) throw conversationNotFound(selector);
    this.#after.conversations.push(found);
    return found.id;
  }
}

export function conversationNotFound(selector: ConversationSelector): VestnikError {
  const name = 'id' in selector ? `id "${selector.id}"` : `key "${selector.key}"`;
  return new VestnikError('CONVERSATION_NOT_FOUND', `No conversation with ${name}.`, selector);
}

export function userNotFound(userId: string): VestnikError {
  return new VestnikError('USER_NOT_FOUND', `No user with id "${userId}".`, { userId });
}

function notParticipant(conversationId: string, userId: string, argument: string): VestnikError {
  return new VestnikError(
    'NOT_PARTICIPANT',
    `User ${userId} (${argument}) does not take part in conversation ${conversationId}.`,
    { argument, userId },
  );
}

function sameConversationOrThrow(first: Message, conversationId: string, key: string): Message {
  if (first.conversationId === conversationId) return first;
  throw new VestnikError('DUPLICATE_KEY', `Idempotency key "${key}" was used for another conversation.`, {
    idempotencyKey: key,
  });
}

// The collaboration system: users, conversations and messages, stored first and then pushed to
// subscribers. One instance per process; several processes share storage and a broker.

import type { Kysely } from 'kysely';
import { VestnikError, type Message } from '@vestnik/protocol';
import type { Broker } from '../broker/broker.js';
import { createMemoryBroker } from '../broker/memory-broker.js';
import { Backlog } from '../delivery/backlog.js';
import { FeedRegistry } from '../delivery/feed-registry.js';
import { FeedSubscription, type SubscriptionHandlers } from '../delivery/subscription.js';
import { defaultLimits, type CollabLimits } from '../limits.js';
import type {
  Conversation,
  ConversationFilter,
  ConversationSelector,
  CreateConversationInput,
  CreateMessageInput,
  CreateUserInput,
  HistoryPage,
  HistoryQuery,
  User,
} from '../model.js';
import { storageErrorKind, type Storage } from '@vestnik/storage';
import { migrateCollab } from '../storage/migrations.js';
import * as q from '../storage/queries.js';
import type { CollabDatabase } from '../storage/schema.js';
import * as v from '../validate.js';
import {
  CollabTransaction,
  conversationNotFound,
  userNotFound,
  type AfterCommit,
  type TransactionContext,
} from './collab-transaction.js';
import { ConversationIds } from './conversation-ids.js';
import { Publisher } from './publisher.js';

export interface CollabOptions {
  /**
   * Where the collaboration tables live (an adapter package: `@vestnik/storage-sqlite`,
   * `@vestnik/storage-postgres`). The application may keep its own tables there too; the
   * collaboration system closes it on `close()`.
   */
  storage: Storage;
  /** In-process by default; use the Redis broker when several processes share the storage. */
  broker?: Broker;
  limits?: Partial<CollabLimits>;
  /** Errors that no caller can receive (a failed publish, a throwing handler). */
  onError?: (error: unknown) => void;
  /** How long another node's register/unregister may take to be seen here (ms). */
  registrationCacheMs?: number;
  /** How long a conversation stays listened to after its last subscriber here left (ms, 30 s). */
  feedLingerMs?: number;
}

export interface SubscribeInput extends SubscriptionHandlers {
  conversation: ConversationSelector;
  asUser: string;
  /** Deliver messages after this seq first; omitted: only messages written from now on. */
  since?: number;
}

export interface Subscription {
  readonly conversationId: string;
  /** True when `since` lay before what retention kept: older messages are gone. */
  readonly truncated: boolean;
  /** Seq of the last message handed to the handler (or the starting point). */
  readonly cursor: number;
  unsubscribe(): void;
}

/**
 * A subscription whose backlog the caller takes at its own pace (the gateway waits for the socket
 * to drain between messages). Live messages wait until `goLive`; nothing reaches the handler
 * before, except what the caller passes to `deliver`.
 */
export interface OpeningSubscription extends Subscription {
  /**
   * The conversation's newest seq as the subscription opened (at least `cursor`): the backlog
   * ends at or before it, and every message after it reaches `onMessage` live.
   */
  readonly lastSeq: number;
  /**
   * The next messages after the cursor that the user may see, at most `limit`; fewer: the backlog
   * ends there. Pass each to `deliver`, in order; the cursor moves as they are delivered.
   */
  nextBacklog(limit: number): Promise<Message[]>;
  /** Hands a backlog message to `onMessage`. */
  deliver(message: Message): void;
  /** The backlog is done: live messages after the cursor follow, then every new one. */
  goLive(): void;
}

/**
 * Creates the collaboration system over a storage, bringing its tables up to date.
 *
 * @example
 * const collab = await createCollab({ storage: createSqliteStorage({ file: 'vestnik.db' }) });
 * await collab.register({ applicationName: 'store' });
 * const courier = await collab.createUser({ externalId: 'u-17', name: 'Courier 1' });
 */
export async function createCollab(options: CollabOptions): Promise<Collab> {
  await migrateCollab(options.storage);
  return new Collab(options);
}

export class Collab {
  readonly limits: CollabLimits;
  readonly #storage: Storage;
  readonly #db: Kysely<CollabDatabase>;
  readonly #broker: Broker;
  readonly #feeds: FeedRegistry;
  readonly #publisher: Publisher;
  readonly #context: TransactionContext;
  readonly #onError: (error: unknown) => void;
  readonly #registrationCacheMs: number;
  #registered: { value: boolean; readAt: number } | undefined;
  #readingRegistration: Promise<boolean> | undefined;
  #closed = false;

  constructor(options: CollabOptions) {
    this.#storage = options.storage;
    this.#db = options.storage.db.withTables<CollabDatabase>();
    this.limits = { ...defaultLimits, ...options.limits };
    this.#broker = options.broker ?? createMemoryBroker();
    this.#onError = options.onError ?? ((error) => console.error('vestnik collab:', error));
    this.#registrationCacheMs = options.registrationCacheMs ?? 2000;
    this.#context = {
      limits: this.limits,
      concurrentWriters: this.#storage.capabilities.concurrentWriters,
      conversationIds: new ConversationIds(),
    };
    this.#publisher = new Publisher(this.#broker, this.#onError);
    const db = this.#db;
    this.#feeds = new FeedRegistry(
      this.#broker,
      {
        readAfter: (conversationId, after, limit) => q.readMessages(db, conversationId, after, limit),
        lastSeq: async (conversationId) =>
          (await q.findConversation(db, { id: conversationId }))?.lastSeq ?? 0,
        participants: (conversationId) => q.listParticipants(db, conversationId),
        blockedParticipants: (conversationId) => q.blockedParticipants(db, conversationId),
      },
      this.#onError,
      options.feedLingerMs,
      { maxMessages: this.limits.recentMessages, maxBytes: this.limits.recentBytes },
    );
  }

  // Registration -------------------------------------------------------------------------------

  /** Whether the application is registered (the seed's `InfobaseRegistered()`). */
  async isRegistered(): Promise<boolean> {
    const cached = this.#registered;
    if (cached && Date.now() - cached.readAt < this.#registrationCacheMs) return cached.value;
    // Callers that come while it is read (a reconnect storm) share the one read.
    return (this.#readingRegistration ??= this.#readRegistration());
  }

  async #readRegistration(): Promise<boolean> {
    try {
      const before = this.#registered;
      const value = (await q.readRegistration(this.#db)) !== undefined;
      // register/unregister here meanwhile know better than this read.
      if (this.#registered === before) this.#registered = { value, readAt: Date.now() };
      return value;
    } finally {
      this.#readingRegistration = undefined;
    }
  }

  async register(input: { applicationName: string }): Promise<void> {
    const name = v.requireString(v.requireObject(input, 'input').applicationName, 'applicationName', 256);
    await this.#storage.transaction(async (untyped) => {
      const trx = untyped.withTables<CollabDatabase>();
      if ((await q.readRegistration(trx)) !== undefined) {
        throw new VestnikError('ALREADY_REGISTERED');
      }
      await q.writeRegistration(trx, name);
    });
    this.#registered = { value: true, readAt: Date.now() };
  }

  async unregister(): Promise<void> {
    await q.writeRegistration(this.#db, null);
    this.#registered = { value: false, readAt: Date.now() };
  }

  // Writing ------------------------------------------------------------------------------------

  /**
   * Runs `fn` in one database transaction with the application's own writes; the messages it
   * creates are published after the commit, and not at all on a rollback.
   *
   * @example
   * await collab.transaction(async (tx) => {
   *   await tx.db.withTables<StoreTables>().updateTable('orders').set({ posted: 1 }).where('id', '=', id).execute();
   *   await tx.createMessage({ conversation: { key }, text: 'New order', recipients: [courierId] });
   * });
   */
  async transaction<T>(fn: (tx: CollabTransaction) => Promise<T>): Promise<T> {
    await this.#assertRegistered();
    const after: AfterCommit = { events: [], conversations: [] };
    const result = await this.#storage.transaction((trx) =>
      fn(new CollabTransaction(trx.withTables<CollabDatabase>(), this.#context, after)),
    );
    for (const { key, id } of after.conversations) this.#context.conversationIds.remember(key, id);
    for (const { conversationId, event } of after.events) this.#publisher.publish(conversationId, event);
    return result;
  }

  createUser(input: CreateUserInput): Promise<User> {
    return this.transaction((tx) => tx.createUser(input));
  }

  ensureUser(input: CreateUserInput): Promise<{ user: User; created: boolean }> {
    return this.transaction((tx) => tx.ensureUser(input));
  }

  blockUser(userId: string, blocked = true): Promise<void> {
    return this.transaction((tx) => tx.setUserBlocked(userId, blocked));
  }

  createConversation(input: CreateConversationInput = {}): Promise<Conversation> {
    return this.transaction((tx) => tx.createConversation(input));
  }

  addParticipants(conversation: ConversationSelector, userIds: string[]): Promise<number> {
    return this.transaction((tx) => tx.addParticipants(conversation, userIds));
  }

  removeParticipants(conversation: ConversationSelector, userIds: string[]): Promise<string[]> {
    return this.transaction((tx) => tx.removeParticipants(conversation, userIds));
  }

  async createMessage(input: CreateMessageInput): Promise<Message> {
    try {
      return await this.transaction((tx) => tx.createMessage(input));
    } catch (error) {
      // Two writers raced with one idempotency key: the loser returns the winner's message.
      const key = input?.idempotencyKey;
      if (typeof key === 'string' && storageErrorKind(error) === 'unique-violation') {
        const first = await q.findMessageByIdempotencyKey(this.#db, key);
        if (first) {
          const conversation = await this.getConversation(input.conversation);
          if (first.conversationId === conversation.id) return first;
          throw new VestnikError(
            'DUPLICATE_KEY',
            `Idempotency key "${key}" was used for another conversation.`,
            {
              idempotencyKey: key,
            },
          );
        }
      }
      throw error;
    }
  }

  trimHistory(conversation: ConversationSelector, seq: number): Promise<void> {
    return this.transaction((tx) => tx.trimHistory(conversation, seq));
  }

  // Reading ------------------------------------------------------------------------------------

  async getUser(userId: string): Promise<User> {
    await this.#assertRegistered();
    v.requireString(userId, 'userId', this.limits.maxNameLength);
    const user = await q.findUser(this.#db, { id: userId });
    if (!user) throw userNotFound(userId);
    return user;
  }

  async getUserByExternalId(externalId: string): Promise<User> {
    await this.#assertRegistered();
    v.requireString(externalId, 'externalId', this.limits.maxNameLength);
    const user = await q.findUser(this.#db, { externalId });
    if (!user) {
      throw new VestnikError('USER_NOT_FOUND', `No user with external id "${externalId}".`, { externalId });
    }
    return user;
  }

  /** The seed's `GetUserId`: the collaboration user id of an application user. */
  async getUserIdByExternalId(externalId: string): Promise<string> {
    return (await this.getUserByExternalId(externalId)).id;
  }

  async getConversation(selector: ConversationSelector): Promise<Conversation> {
    await this.#assertRegistered();
    const checked = v.conversationSelector(selector, this.limits.maxNameLength);
    const conversation = await q.findConversation(this.#db, checked);
    if (!conversation) throw conversationNotFound(checked);
    return conversation;
  }

  async listConversations(filter: ConversationFilter = {}): Promise<Conversation[]> {
    await this.#assertRegistered();
    const args = v.requireObject(filter, 'filter');
    const context = args.context === undefined ? undefined : v.requireObject(args.context, 'context');
    return q.listConversations(this.#db, {
      displayed: v.optionalBoolean(args.displayed, 'displayed'),
      participant: v.optionalString(args.participant, 'participant', this.limits.maxNameLength),
      context: context && {
        $ref: v.requireString(context.$ref, 'context.$ref', this.limits.maxNameLength),
        id: v.requireString(context.id, 'context.id', this.limits.maxNameLength),
      },
      limit: v.optionalInteger(args.limit, 'limit', 1, this.limits.maxPageSize) ?? 100,
    });
  }

  async getParticipants(selector: ConversationSelector): Promise<string[]> {
    const conversation = await this.getConversation(selector);
    return q.listParticipants(this.#db, conversation.id);
  }

  async isParticipant(selector: ConversationSelector, userId: string): Promise<boolean> {
    const conversation = await this.getConversation(selector);
    return q.isParticipant(this.#db, conversation.id, userId);
  }

  /** A page of a conversation's history as `asUser` may see it. */
  async readHistory(query: HistoryQuery): Promise<HistoryPage> {
    const args = v.requireObject(query, 'query');
    const { conversation, userId } = await this.#authorize(args.conversation, args.asUser);
    const after = v.optionalInteger(args.after, 'after', 0, Number.MAX_SAFE_INTEGER) ?? 0;
    const limit = v.optionalInteger(args.limit, 'limit', 1, this.limits.maxPageSize) ?? 100;
    const rows = await q.readMessages(this.#db, conversation.id, after, limit + 1, userId);
    return {
      messages: rows.slice(0, limit),
      truncated: after < conversation.trimmedSeq,
      lastSeq: conversation.lastSeq,
      hasMore: rows.length > limit,
    };
  }

  /**
   * Subscribes a user to a conversation: with `since`, the messages after it that the user may
   * see come first, then live ones, in order, each once.
   */
  async subscribe(input: SubscribeInput): Promise<Subscription> {
    const subscription = await this.openSubscription(input);
    try {
      const page = this.limits.maxPageSize;
      for (;;) {
        const messages = await subscription.nextBacklog(page);
        for (const message of messages) subscription.deliver(message);
        if (messages.length < page) break;
      }
    } catch (error) {
      subscription.unsubscribe();
      throw error;
    }
    subscription.goLive();
    return subscription;
  }

  /**
   * Checks and starts a subscription, with its backlog left to the caller: `subscribe` for callers
   * that pace the backlog themselves. The user is checked once (exists, not blocked, takes part),
   * once the subscription is in the conversation's feed, so no removal can slip in between. A
   * recent `since` is served from the feed's recent messages, without reading storage.
   */
  async openSubscription(input: SubscribeInput): Promise<OpeningSubscription> {
    const args = v.requireObject(input, 'input');
    if (typeof args.onMessage !== 'function') {
      throw new VestnikError('INVALID_ARGUMENT', 'onMessage must be a function.', { argument: 'onMessage' });
    }
    let since = v.optionalInteger(args.since, 'since', 0, Number.MAX_SAFE_INTEGER);
    const { conversation, userId } = await this.#lookUp(args.conversation, args.asUser);
    const db = this.#db;
    const conversationId = conversation.id;
    // A node that does not listen to the conversation yet starts only for a participant: a
    // refused stranger must not keep it subscribed to the broker (and a feed alive) for the linger.
    if (!this.#feeds.has(conversationId)) await this.#assertParticipation(conversationId, userId);
    const feed = await this.#feeds.acquire(conversationId);
    // The feed may be ahead of the row read above (written meanwhile) or behind it (an event
    // not passed on yet); either way every message after the larger one comes live, and a
    // subscription without `since` starts there, where the client is told it starts (lastSeq).
    const lastSeq = Math.max(feed.lastSeq, conversation.lastSeq);
    // Live messages wait in the subscription's buffer until the check and the backlog are done,
    // so nothing reaches the handler before the user is known to take part. The subscription
    // calls the input's handlers as its methods and is the handle returned.
    const subscription = new FeedSubscription(
      userId,
      since ?? lastSeq,
      input,
      feed,
      since !== undefined && since < conversation.trimmedSeq,
      since === undefined
        ? undefined
        : new Backlog(feed, userId, conversation, (after, limit) =>
            q.readMessages(db, conversationId, after, limit, userId),
          ),
      lastSeq,
    );
    feed.add(subscription);
    try {
      // Checked with the subscription in the feed: a removal or a block committed after this
      // check publishes an event that the feed hands to it, one committed before fails the check.
      await this.#assertParticipation(conversationId, userId);
      // A seq the client saw was committed before it was sent, so it cannot lie past lastSeq as
      // read now; one that does (another conversation's, a restored database) would silently
      // swallow the messages up to it. Told only to participants: the range says how far it got.
      since = v.optionalInteger(since, 'since', 0, conversation.lastSeq);
    } catch (error) {
      subscription.unsubscribe();
      throw error;
    }
    return subscription;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#feeds.close();
    this.#publisher.close();
    await this.#broker.close();
    await this.#storage.close();
  }

  async #assertRegistered(): Promise<void> {
    if (!(await this.isRegistered())) throw new VestnikError('NOT_REGISTERED');
  }

  /** Checks that a user may read a conversation: registered, known, not blocked, a participant. */
  /** The user takes part in the conversation and is not blocked, as committed now. */
  async #assertParticipation(conversationId: string, userId: string): Promise<void> {
    const now = await q.participation(this.#db, conversationId, userId);
    if (now === 'blocked') throw userBlocked(userId);
    if (now === 'absent') throw notParticipant(userId, conversationId);
  }

  /** The user and the conversation, checked to exist and the user not blocked; not yet whether they take part. */
  async #lookUp(selector: unknown, asUser: unknown): Promise<{ conversation: Conversation; userId: string }> {
    await this.#assertRegistered();
    const checked = v.conversationSelector(selector, this.limits.maxNameLength);
    const userId = v.requireString(asUser, 'asUser', this.limits.maxNameLength);
    const db = this.#db;
    const [user, conversation] = await Promise.all([
      q.findUser(db, { id: userId }),
      q.findConversation(db, checked),
    ]);
    if (!user) throw userNotFound(userId);
    if (user.blocked) throw userBlocked(userId);
    if (!conversation) throw conversationNotFound(checked);
    return { conversation, userId };
  }

  /** As `#lookUp`, and the user takes part in the conversation. */
  async #authorize(
    selector: unknown,
    asUser: unknown,
  ): Promise<{ conversation: Conversation; userId: string }> {
    const found = await this.#lookUp(selector, asUser);
    await this.#assertParticipation(found.conversation.id, found.userId);
    return found;
  }
}

function userBlocked(userId: string): VestnikError {
  return new VestnikError('USER_BLOCKED', `User ${userId} is blocked.`, { userId });
}

function notParticipant(userId: string, conversationId: string): VestnikError {
  return new VestnikError('NOT_PARTICIPANT', `User ${userId} does not take part in this conversation.`, {
    userId,
    conversationId,
  });
}

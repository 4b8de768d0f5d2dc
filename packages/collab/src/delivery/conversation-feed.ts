// One node's view of one conversation's stream: takes events from the broker, restores seq order,
// fills any gap from storage, and hands each message to the subscriptions that may see it. Every
// subscription of a node shares its conversation's feed, so a message is handled once per node.

import { VestnikError, type Message } from '@vestnik/protocol';
import type { BrokerEvent } from '../broker/broker.js';
import { defaultLimits } from '../limits.js';
import { RecentMessages } from './recent-messages.js';

/** The side of a subscription that the feed talks to. */
export interface FeedSubscriber {
  readonly userId: string;
  /** Called with every message of the conversation, in seq order, once each. */
  offer(message: Message): void;
  /** The system ended the subscription (the user was removed from the conversation, or blocked). */
  end(error: VestnikError): void;
}

const FILL_PAGE = 500;
const RETRY_MS = 1000;

/** What a feed reads from storage. */
export interface FeedStorage {
  /** Every message (unfiltered) after `after`, in seq order. */
  readAfter(after: number, limit: number): Promise<Message[]>;
  /** The conversation's participants now. */
  participants(): Promise<string[]>;
  /** The conversation's participants who are blocked now. */
  blockedParticipants(): Promise<string[]>;
}

export class ConversationFeed {
  readonly conversationId: string;
  #lastSeq = -1;
  #filling = false;
  /** A resync came while a fill was under way: that fill may have read too early, read again. */
  #fillAgain = false;
  #pending: Message[] = [];
  /**
   * The subscribers by user, so a message with recipients costs O(recipients), not O(subscribers).
   * A user with one subscription here (the common case) maps to it directly: no Set per user.
   */
  #byUser = new Map<string, FeedSubscriber | Set<FeedSubscriber>>();
  #size = 0;
  #storage: FeedStorage;
  #onError: (error: unknown) => void;
  #onIdle: (() => void) | undefined;
  #stopped = false;
  /** The newest messages passed on, contiguous up to #lastSeq (see recent-messages.ts). */
  readonly #recent: RecentMessages;
  /** A read of storage into #recent under way, and where it starts: later askers share it. */
  #warming: { after: number; done: Promise<void> } | undefined;

  /**
   * @param onIdle called when a subscriber leaves and none is left.
   * @param recent how many recent messages (and about how many bytes of them) to keep in memory.
   */
  constructor(
    conversationId: string,
    storage: FeedStorage,
    onError: (error: unknown) => void,
    onIdle?: () => void,
    recent: { maxMessages: number; maxBytes: number } = {
      maxMessages: defaultLimits.recentMessages,
      maxBytes: defaultLimits.recentBytes,
    },
  ) {
    this.conversationId = conversationId;
    this.#storage = storage;
    this.#onError = onError;
    this.#onIdle = onIdle;
    this.#recent = new RecentMessages(recent.maxMessages, recent.maxBytes);
  }

  /** The newest seq this feed has passed on; -1 until started. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  get size(): number {
    return this.#size;
  }

  /** Sets the starting point once the broker is listening; events that came before are sorted out. */
  start(lastSeq: number): void {
    this.#lastSeq = lastSeq;
    const early = this.#pending;
    this.#pending = [];
    for (const message of early) this.#receiveMessage(message);
  }

  add(subscriber: FeedSubscriber): void {
    const userId = subscriber.userId;
    const own = this.#byUser.get(userId);
    if (own === subscriber || (own instanceof Set && own.has(subscriber))) return;
    if (own === undefined) this.#byUser.set(userId, subscriber);
    else if (own instanceof Set) own.add(subscriber);
    else this.#byUser.set(userId, new Set([own, subscriber]));
    this.#size++;
  }

  remove(subscriber: FeedSubscriber): void {
    const userId = subscriber.userId;
    const own = this.#byUser.get(userId);
    if (own === subscriber) {
      this.#byUser.delete(userId);
    } else if (own instanceof Set && own.delete(subscriber)) {
      if (own.size === 1) this.#byUser.set(userId, own.values().next().value!);
    } else {
      return;
    }
    this.#size--;
  }

  /** A subscriber ends: removed, and the owner told when the feed has none left. */
  leave(subscriber: FeedSubscriber): void {
    this.remove(subscriber);
    if (this.#size === 0) this.#onIdle?.();
  }

  /**
   * The messages after `after` that `userId` may see (at most `limit`), from memory, when the
   * recent messages reach back that far; undefined when they do not (read storage instead). What
   * it returns is what storage holds after `after` up to this feed's lastSeq, filtered by
   * recipients as storage reads are; later messages come live.
   */
  recentFor(userId: string, after: number, limit: number): Message[] | undefined {
    if (this.#lastSeq < 0 || !this.#recent.covers(after, this.#lastSeq)) return undefined;
    return this.#recent.visibleAfter(userId, after, limit);
  }

  /**
   * Reads the messages after `after` from storage into the recent ones, when they are few enough
   * to be kept: the first subscriber back after the feed started pays one read, the others are
   * served from memory. Askers that come while a read from at most `after` is under way share it.
   * Never fails: on an error the ring simply stays as it was.
   */
  async warm(after: number): Promise<void> {
    const lastSeq = this.#lastSeq;
    if (lastSeq < 0 || this.#recent.covers(after, lastSeq)) return;
    if (lastSeq - after > this.#recent.maxMessages) return;
    const warming = this.#warming;
    if (warming !== undefined && warming.after <= after) return warming.done;
    const done = (async () => {
      try {
        const page = await this.#storage.readAfter(after, this.#recent.maxMessages);
        this.#recent.prepend(page, this.#lastSeq);
      } catch (error) {
        this.#onError(error);
      }
    })();
    this.#warming = { after, done };
    try {
      await done;
    } finally {
      if (this.#warming?.done === done) this.#warming = undefined;
    }
  }

  /** Every subscriber, as a copy (handlers may remove themselves meanwhile). */
  #all(): FeedSubscriber[] {
    const all: FeedSubscriber[] = [];
    for (const own of this.#byUser.values()) {
      if (own instanceof Set) for (const subscriber of own) all.push(subscriber);
      else all.push(own);
    }
    return all;
  }

  #ofUser(userId: string): FeedSubscriber[] {
    const own = this.#byUser.get(userId);
    return own === undefined ? [] : own instanceof Set ? [...own] : [own];
  }

  receive(event: BrokerEvent): void {
    if (event.type === 'message') {
      this.#receiveMessage(event.message);
      return;
    }
    if (event.type === 'user-blocked') {
      for (const subscriber of this.#ofUser(event.userId)) this.#end(subscriber, blocked());
      return;
    }
    for (const userId of event.userIds) {
      for (const subscriber of this.#ofUser(userId)) this.#end(subscriber, removed());
    }
  }

  /**
   * Re-reads storage after the broker may have missed events: messages, and removals and
   * blocks of participants (a missed one would leave a removed or blocked user listening).
   */
  resync(): void {
    if (this.#filling) this.#fillAgain = true;
    else if (this.#lastSeq >= 0) void this.#fill();
    Promise.all([this.#storage.participants(), this.#storage.blockedParticipants()]).then(
      ([ids, blockedIds]) => {
        const present = new Set(ids);
        const blockedNow = new Set(blockedIds);
        for (const subscriber of this.#all()) {
          if (!present.has(subscriber.userId)) this.#end(subscriber, removed());
          else if (blockedNow.has(subscriber.userId)) this.#end(subscriber, blocked());
        }
      },
      this.#onError,
    );
  }

  /** The feed is no longer used: pending retries end. */
  stop(): void {
    this.#stopped = true;
  }

  #end(subscriber: FeedSubscriber, error: VestnikError): void {
    this.leave(subscriber);
    subscriber.end(error);
  }

  #receiveMessage(message: Message): void {
    if (this.#lastSeq < 0 || this.#filling) {
      this.#pending.push(message);
      return;
    }
    if (message.seq <= this.#lastSeq) return; // already passed on
    if (message.seq === this.#lastSeq + 1) {
      this.#dispatch(message);
      return;
    }
    // A gap: the broker lost or reordered something. Storage has every committed message up to
    // this one, because seq is taken in commit order.
    this.#pending.push(message);
    void this.#fill();
  }

  async #fill(): Promise<void> {
    this.#filling = true;
    this.#fillAgain = false;
    // Events that came before this read began: storage must hold them (a message is published only
    // after its commit). One it does not hold is stale or foreign (another deployment sharing the
    // broker's prefix) and is dropped, instead of being waited for by reading storage forever.
    const before = new Set(this.#pending);
    try {
      for (let more = true; more;) {
        const page = await this.#storage.readAfter(this.#lastSeq, FILL_PAGE);
        for (const message of page) if (message.seq > this.#lastSeq) this.#dispatch(message);
        more = page.length === FILL_PAGE || this.#fillAgain;
        this.#fillAgain = false;
      }
    } catch (error) {
      // Storage is unreachable: keep what came meanwhile and try again, without spinning.
      this.#onError(error);
      if (!this.#stopped) setTimeout(() => void this.#fill(), RETRY_MS).unref();
      return;
    }
    this.#filling = false;
    const pending = this.#pending.sort((a, b) => a.seq - b.seq);
    this.#pending = [];
    for (const message of pending) {
      if (before.has(message) && message.seq > this.#lastSeq) {
        this.#onError(
          new VestnikError(
            'INTERNAL',
            `Ignored an event for seq ${message.seq} that storage does not hold.`,
            {
              conversationId: message.conversationId,
              seq: message.seq,
            },
          ),
        );
        continue;
      }
      this.#receiveMessage(message);
    }
  }

  #dispatch(message: Message): void {
    this.#lastSeq = message.seq;
    this.#recent.append(message);
    if (message.recipients.length === 0) {
      for (const own of this.#byUser.values()) this.#offerAll(own, message);
      return;
    }
    const audience = new Set(message.recipients);
    if (message.authorId !== null) audience.add(message.authorId);
    for (const userId of audience) {
      const own = this.#byUser.get(userId);
      if (own !== undefined) this.#offerAll(own, message);
    }
  }

  #offerAll(own: FeedSubscriber | Set<FeedSubscriber>, message: Message): void {
    if (own instanceof Set) for (const subscriber of own) this.#offer(subscriber, message);
    else this.#offer(own, message);
  }

  #offer(subscriber: FeedSubscriber, message: Message): void {
    try {
      subscriber.offer(message);
    } catch (error) {
      this.#onError(error);
    }
  }
}

const removed = () => new VestnikError('NOT_PARTICIPANT', 'The user was removed from the conversation.');
const blocked = () => new VestnikError('USER_BLOCKED', 'The user was blocked.');

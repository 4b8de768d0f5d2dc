// One node's view of one conversation's stream: takes events from the broker, restores seq order,
// fills any gap from storage, and hands each message to the subscriptions that may see it. Every
// subscription of a node shares its conversation's feed, so a message is handled once per node.

import { VestnikError, type Message } from '@vestnik/protocol';
import type { BrokerEvent } from '../broker/broker.js';

/** The side of a subscription that the feed talks to. */
export interface FeedSubscriber {
  readonly userId: string;
  /** Called with every message of the conversation, in seq order, once each. */
  offer(message: Message): void;
  /** The system ended the subscription (e.g. the user was removed from the conversation). */
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
}

export class ConversationFeed {
  readonly conversationId: string;
  #lastSeq = -1;
  #filling = false;
  /** A resync came while a fill was under way: that fill may have read too early, read again. */
  #fillAgain = false;
  #pending: Message[] = [];
  #subscribers = new Set<FeedSubscriber>();
  /** The same subscribers by user, so a message with recipients costs O(recipients), not O(subscribers). */
  #byUser = new Map<string, Set<FeedSubscriber>>();
  #storage: FeedStorage;
  #onError: (error: unknown) => void;
  #stopped = false;

  constructor(conversationId: string, storage: FeedStorage, onError: (error: unknown) => void) {
    this.conversationId = conversationId;
    this.#storage = storage;
    this.#onError = onError;
  }

  /** The newest seq this feed has passed on; -1 until started. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  get size(): number {
    return this.#subscribers.size;
  }

  /** Sets the starting point once the broker is listening; events that came before are sorted out. */
  start(lastSeq: number): void {
    this.#lastSeq = lastSeq;
    const early = this.#pending;
    this.#pending = [];
    for (const message of early) this.#receiveMessage(message);
  }

  add(subscriber: FeedSubscriber): void {
    this.#subscribers.add(subscriber);
    let own = this.#byUser.get(subscriber.userId);
    if (own === undefined) this.#byUser.set(subscriber.userId, (own = new Set()));
    own.add(subscriber);
  }

  remove(subscriber: FeedSubscriber): void {
    this.#subscribers.delete(subscriber);
    const own = this.#byUser.get(subscriber.userId);
    own?.delete(subscriber);
    if (own?.size === 0) this.#byUser.delete(subscriber.userId);
  }

  receive(event: BrokerEvent): void {
    if (event.type === 'message') {
      this.#receiveMessage(event.message);
      return;
    }
    for (const userId of event.userIds) {
      for (const subscriber of [...(this.#byUser.get(userId) ?? [])]) this.#end(subscriber);
    }
  }

  /**
   * Re-reads storage after the broker may have missed events: messages, and removals of
   * participants (a missed one would leave a removed user listening).
   */
  resync(): void {
    if (this.#filling) this.#fillAgain = true;
    else if (this.#lastSeq >= 0) void this.#fill();
    this.#storage.participants().then((ids) => {
      const present = new Set(ids);
      for (const subscriber of [...this.#subscribers])
        if (!present.has(subscriber.userId)) this.#end(subscriber);
    }, this.#onError);
  }

  /** The feed is no longer used: pending retries end. */
  stop(): void {
    this.#stopped = true;
  }

  #end(subscriber: FeedSubscriber): void {
    this.remove(subscriber);
    subscriber.end(new VestnikError('NOT_PARTICIPANT', 'The user was removed from the conversation.'));
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
    for (const message of pending) this.#receiveMessage(message);
  }

  #dispatch(message: Message): void {
    this.#lastSeq = message.seq;
    if (message.recipients.length === 0) {
      for (const subscriber of this.#subscribers) this.#offer(subscriber, message);
      return;
    }
    const audience = new Set(message.recipients);
    if (message.authorId !== null) audience.add(message.authorId);
    for (const userId of audience) {
      const own = this.#byUser.get(userId);
      if (own !== undefined) for (const subscriber of own) this.#offer(subscriber, message);
    }
  }

  #offer(subscriber: FeedSubscriber, message: Message): void {
    try {
      subscriber.offer(message);
    } catch (error) {
      this.#onError(error);
    }
  }
}

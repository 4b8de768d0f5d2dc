// One node's view of one conversation's stream: takes events from the broker, restores seq order,
// fills any gap from storage, and hands each message to the subscriptions that may see it. Every
// subscription of a node shares its conversation's feed, so a message is handled once per node.

import { VestnikError, type Message } from '@vestnik/protocol';
import type { BrokerEvent } from '../broker/broker.js';
import { isVisibleTo } from '../model.js';

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
  #pending: Message[] = [];
  #subscribers = new Set<FeedSubscriber>();
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
  }

  remove(subscriber: FeedSubscriber): void {
    this.#subscribers.delete(subscriber);
  }

  receive(event: BrokerEvent): void {
    if (event.type === 'message') {
      this.#receiveMessage(event.message);
      return;
    }
    const removed = new Set(event.userIds);
    this.#endWhere((userId) => removed.has(userId));
  }

  /**
   * Re-reads storage after the broker may have missed events: messages, and removals of
   * participants (a missed one would leave a removed user listening).
   */
  resync(): void {
    if (this.#lastSeq >= 0 && !this.#filling) void this.#fill();
    this.#storage.participants().then((ids) => {
      const present = new Set(ids);
      this.#endWhere((userId) => !present.has(userId));
    }, this.#onError);
  }

  /** The feed is no longer used: pending retries end. */
  stop(): void {
    this.#stopped = true;
  }

  #endWhere(gone: (userId: string) => boolean): void {
    for (const subscriber of [...this.#subscribers]) {
      if (gone(subscriber.userId)) {
        this.#subscribers.delete(subscriber);
        subscriber.end(new VestnikError('NOT_PARTICIPANT', 'The user was removed from the conversation.'));
      }
    }
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
    try {
      for (;;) {
        const page = await this.#storage.readAfter(this.#lastSeq, FILL_PAGE);
        for (const message of page) if (message.seq > this.#lastSeq) this.#dispatch(message);
        if (page.length < FILL_PAGE) break;
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
    for (const subscriber of this.#subscribers) {
      if (!isVisibleTo(message, subscriber.userId)) continue;
      try {
        subscriber.offer(message);
      } catch (error) {
        this.#onError(error);
      }
    }
  }
}

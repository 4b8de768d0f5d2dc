// A subscription of one user to one conversation: the backlog after `since` first, then live
// messages, with neither a gap nor a duplicate at the seam. While the backlog is read, live
// messages wait in a buffer; afterwards only those past the last delivered seq are passed on.
// It is also the handle the subscriber keeps (a class, not closures: a node holds one per socket).

import { VestnikError, type Message } from '@vestnik/protocol';
import type { Backlog } from './backlog.js';
import type { FeedSubscriber } from './conversation-feed.js';

export interface SubscriptionHandlers {
  /** Each message the user may see, in seq order, once (called as a method of the handlers). */
  onMessage(message: Message): void;
  /** The subscription was ended by the system; no more messages will come. */
  onEnd?(error: VestnikError): void;
}

/** What a subscription leaves when it ends. */
export interface SubscriptionFeed {
  leave(subscriber: FeedSubscriber): void;
}

/**
 * Live messages a subscription holds while its backlog is read. A catch-up paced by a slow client
 * on a busy conversation would otherwise hold every message that comes meanwhile; past this the
 * subscription ends with UNAVAILABLE, and the client subscribes again from its cursor.
 */
export const MAX_BUFFERED_WHILE_CATCHING_UP = 1000;

export class FeedSubscription implements FeedSubscriber {
  readonly userId: string;
  readonly conversationId: string;
  /** True when `since` lay before what retention kept: older messages are gone. */
  readonly truncated: boolean;
  /** The conversation's newest seq as the subscription opened (see OpeningSubscription.lastSeq). */
  readonly lastSeq: number;
  #cursor: number;
  #buffer: Message[] | undefined = [];
  readonly #handlers: SubscriptionHandlers;
  readonly #feed: SubscriptionFeed;
  /** Where the backlog is read from, until the subscription is live. */
  #backlog: Backlog | undefined;
  #closed = false;

  /** Starts buffering live messages; `nextBacklog`/`deliver` and `goLive` follow. */
  constructor(
    userId: string,
    cursor: number,
    handlers: SubscriptionHandlers,
    feed: SubscriptionFeed & { readonly conversationId: string },
    truncated = false,
    backlog?: Backlog,
    lastSeq = cursor,
  ) {
    this.userId = userId;
    this.conversationId = feed.conversationId;
    this.truncated = truncated;
    this.lastSeq = Math.max(lastSeq, cursor);
    this.#cursor = cursor;
    this.#handlers = handlers;
    this.#feed = feed;
    this.#backlog = backlog;
  }

  /** The seq of the last message handed over (or the starting point). */
  get cursor(): number {
    return this.#cursor;
  }

  get closed(): boolean {
    return this.#closed;
  }

  offer(message: Message): void {
    const buffer = this.#buffer;
    if (buffer === undefined) {
      this.#pass(message);
    } else if (buffer.length < MAX_BUFFERED_WHILE_CATCHING_UP) {
      buffer.push(message);
    } else {
      this.end(
        new VestnikError(
          'UNAVAILABLE',
          'The subscription fell too far behind while catching up; subscribe again from the last seq received.',
        ),
      );
    }
  }

  /**
   * The next backlog messages after the cursor that the user may see, at most `limit`; fewer: the
   * backlog ends there (what follows is live). They are not handed over yet: pass each to
   * `deliver`, in order (the cursor moves as they are delivered, so a page not delivered is read
   * again). Empty once live or closed.
   */
  async nextBacklog(limit: number): Promise<Message[]> {
    if (this.#closed || this.#backlog === undefined) return [];
    return this.#backlog.read(this.#cursor, limit);
  }

  /** Hands a backlog message to the handler (nothing at or before the cursor is handed twice). */
  deliver(message: Message): void {
    this.#pass(message);
  }

  /** Ends the catch-up: buffered live messages after the cursor follow, then live ones. */
  goLive(): void {
    const buffered = this.#buffer ?? [];
    this.#buffer = undefined;
    this.#backlog = undefined;
    for (const message of buffered) this.#pass(message);
  }

  /** Ended by the system (the user was removed): the feed must not keep a node listening. */
  end(error: VestnikError): void {
    if (this.#closed) return;
    this.unsubscribe();
    this.#handlers.onEnd?.(error);
  }

  unsubscribe(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#buffer = undefined;
    this.#backlog = undefined;
    this.#feed.leave(this);
  }

  #pass(message: Message): void {
    if (this.#closed || message.seq <= this.#cursor) return;
    this.#cursor = message.seq;
    this.#handlers.onMessage(message);
  }
}

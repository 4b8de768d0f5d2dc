// Where a subscription's backlog (the messages after its `since`) is read from: the feed's recent
// messages when they reach back far enough, else storage. A recent `since` (a client back from a
// short drop) costs no query: the first subscriber back after the feed started reads the recent
// messages into the feed once, every later one is served from memory.

import type { Message } from '@vestnik/protocol';
import type { ConversationFeed } from './conversation-feed.js';

/** Reads storage for one user: the messages after `after` that the user may see, in seq order. */
export type ReadStored = (after: number, limit: number) => Promise<Message[]>;

/** The conversation as read when the subscription was checked. */
export interface CheckedConversation {
  /** Retention removed every message up to here. */
  readonly trimmedSeq: number;
  /** The newest message committed. */
  readonly lastSeq: number;
}

export class Backlog {
  readonly #feed: ConversationFeed;
  readonly #userId: string;
  readonly #trimmedSeq: number;
  readonly #storedLastSeq: number;
  readonly #readStored: ReadStored;

  constructor(
    feed: ConversationFeed,
    userId: string,
    conversation: CheckedConversation,
    readStored: ReadStored,
  ) {
    this.#feed = feed;
    this.#userId = userId;
    this.#trimmedSeq = conversation.trimmedSeq;
    this.#storedLastSeq = conversation.lastSeq;
    this.#readStored = readStored;
  }

  /**
   * At most `limit` messages after `after` that the user may see, in seq order; fewer when the
   * feed has passed on no more yet (those that follow reach the subscription live).
   */
  async read(after: number, limit: number): Promise<Message[]> {
    // Storage no longer holds what retention removed; neither may memory serve it.
    const from = Math.max(after, this.#trimmedSeq);
    // A feed behind storage (an event it has not had yet, or lost) would end the backlog early:
    // the messages between would reach the subscription only with the feed's next event.
    if (this.#feed.lastSeq < this.#storedLastSeq) return this.#readStored(from, limit);
    const recent = this.#feed.recentFor(this.#userId, from, limit);
    if (recent !== undefined) return recent;
    await this.#feed.warm(from);
    return this.#feed.recentFor(this.#userId, from, limit) ?? this.#readStored(from, limit);
  }
}

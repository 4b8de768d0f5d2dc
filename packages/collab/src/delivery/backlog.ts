// Where a subscription's backlog (the messages after its `since`) is read from: the feed's recent
// messages when they reach back far enough, else storage. A recent `since` (a client back from a
// short drop) costs no query: the first subscriber back after the feed started reads the recent
// messages into the feed once, every later one is served from memory.

import type { Message } from '@vestnik/protocol';
import type { ConversationFeed } from './conversation-feed.js';

/** Reads storage for one user: the messages after `after` that the user may see, in seq order. */
export type ReadStored = (after: number, limit: number) => Promise<Message[]>;

export class Backlog {
  readonly #feed: ConversationFeed;
  readonly #userId: string;
  /** Retention removed every message up to here (as read when the subscription was checked). */
  readonly #trimmedSeq: number;
  readonly #readStored: ReadStored;

  constructor(feed: ConversationFeed, userId: string, trimmedSeq: number, readStored: ReadStored) {
    this.#feed = feed;
    this.#userId = userId;
    this.#trimmedSeq = trimmedSeq;
    this.#readStored = readStored;
  }

  /**
   * At most `limit` messages after `after` that the user may see, in seq order; fewer when the
   * feed has passed on no more yet (those that follow reach the subscription live).
   */
  async read(after: number, limit: number): Promise<Message[]> {
    // Storage no longer holds what retention removed; neither may memory serve it.
    const from = Math.max(after, this.#trimmedSeq);
    const recent = this.#feed.recentFor(this.#userId, from, limit);
    if (recent !== undefined) return recent;
    await this.#feed.warm(from);
    return this.#feed.recentFor(this.#userId, from, limit) ?? this.#readStored(from, limit);
  }
}

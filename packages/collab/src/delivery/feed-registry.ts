// The feeds of one node, one per conversation that has subscribers here. A feed is created on the
// first subscription, listens to the broker, and is dropped a while after its last one leaves.

import { VestnikError, type Message } from '@vestnik/protocol';
import type { Broker } from '../broker/broker.js';
import { ConversationFeed } from './conversation-feed.js';

export interface FeedSource {
  /** Every message (unfiltered) after `after`, in seq order. */
  readAfter(conversationId: string, after: number, limit: number): Promise<Message[]>;
  /** The conversation's newest committed seq. */
  lastSeq(conversationId: string): Promise<number>;
  /** The conversation's participants now (checked after a resync: a removal may have been missed). */
  participants(conversationId: string): Promise<string[]>;
  /** The conversation's blocked participants now (checked after a resync: a block may have been missed). */
  blockedParticipants(conversationId: string): Promise<string[]>;
}

interface Entry {
  feed: ConversationFeed;
  ready: Promise<void>;
  linger?: NodeJS.Timeout;
}

export class FeedRegistry {
  #entries = new Map<string, Entry>();
  #broker: Broker;
  #source: FeedSource;
  #onError: (error: unknown) => void;
  #lingerMs: number;
  #recent: { maxMessages: number; maxBytes: number } | undefined;

  /** @param recent how many recent messages each feed keeps in memory (limits.ts by default). */
  constructor(
    broker: Broker,
    source: FeedSource,
    onError: (error: unknown) => void,
    lingerMs = 30_000,
    recent?: { maxMessages: number; maxBytes: number },
  ) {
    this.#broker = broker;
    this.#source = source;
    this.#onError = onError;
    this.#lingerMs = lingerMs;
    this.#recent = recent;
    broker.onResync(() => {
      for (const entry of this.#entries.values()) entry.feed.resync();
    });
  }

  /** The started feed of a conversation; the caller adds its subscriber and later calls release. */
  async acquire(conversationId: string): Promise<ConversationFeed> {
    let entry = this.#entries.get(conversationId);
    if (entry === undefined) {
      const feed = new ConversationFeed(
        conversationId,
        {
          readAfter: (after, limit) => this.#source.readAfter(conversationId, after, limit),
          participants: () => this.#source.participants(conversationId),
          blockedParticipants: () => this.#source.blockedParticipants(conversationId),
        },
        this.#onError,
        () => this.release(conversationId),
        this.#recent,
      );
      const ready = (async () => {
        await this.#broker.subscribe(conversationId, (event) => feed.receive(event));
        feed.start(await this.#source.lastSeq(conversationId));
      })();
      entry = { feed, ready };
      this.#entries.set(conversationId, entry);
      ready.catch(() => {
        if (this.#entries.get(conversationId) === entry) this.#entries.delete(conversationId);
      });
    }
    if (entry.linger !== undefined) {
      clearTimeout(entry.linger);
      entry.linger = undefined;
    }
    try {
      await entry.ready;
    } catch (error) {
      // The broker or storage failed: the caller gets a code it can act on (try again later).
      if (error instanceof VestnikError) throw error;
      this.#onError(error);
      throw new VestnikError('UNAVAILABLE', 'Live delivery is not available right now; try again.', {
        conversationId,
      });
    }
    return entry.feed;
  }

  /** Called when a subscriber left; an empty feed lingers, then stops listening. */
  release(conversationId: string): void {
    const entry = this.#entries.get(conversationId);
    if (entry === undefined || entry.feed.size > 0 || entry.linger !== undefined) return;
    entry.linger = setTimeout(() => {
      // Cleared first: a feed that got a subscriber meanwhile must be able to linger again later.
      entry.linger = undefined;
      if (entry.feed.size > 0 || this.#entries.get(conversationId) !== entry) return;
      this.#entries.delete(conversationId);
      entry.feed.stop();
      this.#broker.unsubscribe(conversationId).catch(this.#onError);
    }, this.#lingerMs);
    entry.linger.unref();
  }

  /** Whether this node listens to a conversation now (a feed exists for it). */
  has(conversationId: string): boolean {
    return this.#entries.has(conversationId);
  }

  close(): void {
    for (const entry of this.#entries.values()) {
      if (entry.linger) clearTimeout(entry.linger);
      entry.feed.stop();
    }
    this.#entries.clear();
  }
}

// A subscription of one user to one conversation: the backlog after `since` first, then live
// messages, with neither a gap nor a duplicate at the seam. While the backlog is read, live
// messages wait in a buffer; afterwards only those past the last delivered seq are passed on.

import type { Message, VestnikError } from '@vestnik/protocol';
import type { FeedSubscriber } from './conversation-feed.js';

export interface SubscriptionHandlers {
  /** Each message the user may see, in seq order, once. */
  onMessage(message: Message): void;
  /** The subscription was ended by the system; no more messages will come. */
  onEnd?(error: VestnikError): void;
}

export class FeedSubscription implements FeedSubscriber {
  readonly userId: string;
  #cursor: number;
  #buffer: Message[] | undefined;
  #handlers: SubscriptionHandlers;
  #closed = false;

  /** Starts buffering live messages; `deliverBacklog` and `goLive` follow. */
  constructor(userId: string, cursor: number, handlers: SubscriptionHandlers) {
    this.userId = userId;
    this.#cursor = cursor;
    this.#buffer = [];
    this.#handlers = handlers;
  }

  /** The seq of the last message handed over. */
  get cursor(): number {
    return this.#cursor;
  }

  get closed(): boolean {
    return this.#closed;
  }

  offer(message: Message): void {
    if (this.#buffer !== undefined) this.#buffer.push(message);
    else this.#pass(message);
  }

  /** Hands over backlog messages (already filtered for the user), in order. */
  deliverBacklog(messages: Message[]): void {
    for (const message of messages) this.#pass(message);
  }

  /** Ends the catch-up: buffered live messages after the cursor follow, then live ones. */
  goLive(): void {
    const buffered = this.#buffer ?? [];
    this.#buffer = undefined;
    for (const message of buffered) this.#pass(message);
  }

  end(error: VestnikError): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#handlers.onEnd?.(error);
  }

  close(): void {
    this.#closed = true;
  }

  #pass(message: Message): void {
    if (this.#closed || message.seq <= this.#cursor) return;
    this.#cursor = message.seq;
    this.#handlers.onMessage(message);
  }
}

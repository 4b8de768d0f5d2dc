// Publishing committed events to the broker, and publishing again when that fails: the message is
// already stored, so other nodes must still hear of it. Retries hold little: per conversation only
// the newest message event (a receiver that sees its seq fills the gap before it from storage) and
// every other event (participants-removed, user-blocked).

import type { Broker, BrokerEvent } from '../broker/broker.js';

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5000;

export class Publisher {
  #broker: Broker;
  #onError: (error: unknown) => void;
  #failed = new Map<string, BrokerEvent[]>();
  #timer: NodeJS.Timeout | undefined;
  #delay = FIRST_RETRY_MS;
  #closed = false;

  constructor(broker: Broker, onError: (error: unknown) => void) {
    this.#broker = broker;
    this.#onError = onError;
  }

  /** Publishes without waiting: the writer's answer does not wait for other nodes. */
  publish(conversationId: string, event: BrokerEvent): void {
    this.#broker.publish(conversationId, event).then(
      () => {
        this.#delay = FIRST_RETRY_MS;
      },
      (error: unknown) => {
        // Reported once per outage, not once per message.
        if (this.#failed.size === 0 && this.#timer === undefined) this.#onError(error);
        this.#keep(conversationId, event);
      },
    );
  }

  /** Events waiting for another attempt (for tests and metrics). */
  get pending(): number {
    let count = 0;
    for (const events of this.#failed.values()) count += events.length;
    return count;
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#failed.clear();
  }

  #keep(conversationId: string, event: BrokerEvent): void {
    if (this.#closed) return;
    const events = this.#failed.get(conversationId) ?? [];
    if (event.type === 'message') {
      const older = events.findIndex((e) => e.type === 'message');
      const kept = events[older];
      if (kept?.type === 'message' && kept.message.seq >= event.message.seq) return;
      if (older >= 0) events.splice(older, 1);
    }
    events.push(event);
    this.#failed.set(conversationId, events);
    if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.#retry(), this.#delay);
      this.#timer.unref();
      this.#delay = Math.min(this.#delay * 2, MAX_RETRY_MS);
    }
  }

  #retry(): void {
    this.#timer = undefined;
    const failed = this.#failed;
    this.#failed = new Map();
    for (const [conversationId, events] of failed) {
      for (const event of events) this.publish(conversationId, event);
    }
  }
}

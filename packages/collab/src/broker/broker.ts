// The Broker port: how a committed event reaches every node that has subscribers for its
// conversation. Brokers may drop or reorder events; each node's conversation feed restores order
// and fills gaps from storage, so a broker only has to be fast, not perfect.

import type { Message } from '@vestnik/protocol';

export type BrokerEvent =
  | { type: 'message'; message: Message }
  | { type: 'participants-removed'; conversationId: string; userIds: string[] }
  /** The user was blocked: their subscriptions to this conversation end (published to each of theirs). */
  | { type: 'user-blocked'; conversationId: string; userId: string };

export type BrokerListener = (event: BrokerEvent) => void;

export interface Broker {
  /** Sends an event to every node subscribed to its conversation, this one included. */
  publish(conversationId: string, event: BrokerEvent): Promise<void>;
  /**
   * Starts receiving a conversation's events (one listener per conversation per broker); resolves
   * once they are flowing. Subscribe and unsubscribe take effect in the order they are called.
   */
  subscribe(conversationId: string, listener: BrokerListener): Promise<void>;
  unsubscribe(conversationId: string): Promise<void>;
  /**
   * Called after the broker lost its connection and got it back: events may have been missed,
   * so every feed re-reads storage.
   */
  onResync(listener: () => void): void;
  close(): Promise<void>;
}

// Redis pub/sub between nodes: one channel per conversation, so a node hears only the
// conversations its clients follow. Pub/sub forgets what it could not deliver; after a reconnect
// the broker asks every feed to re-read storage (onResync).

import { Redis } from 'ioredis';
import type { Broker, BrokerEvent, BrokerListener } from './broker.js';

export interface RedisBrokerOptions {
  url: string;
  /** Prefix of the channel names, so that several systems can share one Redis. */
  prefix?: string;
}

export function createRedisBroker(options: RedisBrokerOptions): Broker {
  const prefix = `${options.prefix ?? 'vestnik'}:conversation:`;
  const redisOptions = { maxRetriesPerRequest: null, lazyConnect: false } as const;
  const publisher = new Redis(options.url, redisOptions);
  const subscriber = new Redis(options.url, redisOptions);
  const listeners = new Map<string, BrokerListener>();
  const resyncListeners: Array<() => void> = [];
  // Connection errors are retried by ioredis; they must not become unhandled 'error' events.
  publisher.on('error', () => {});
  subscriber.on('error', () => {});

  let everReady = false;
  subscriber.on('ready', () => {
    // ioredis resubscribes the channels by itself; what was published meanwhile is gone.
    if (everReady) for (const listener of resyncListeners) listener();
    everReady = true;
  });

  subscriber.on('messageBuffer', (channel: Buffer, payload: Buffer) => {
    const conversationId = channel.toString().slice(prefix.length);
    const listener = listeners.get(conversationId);
    if (listener === undefined) return;
    let event: BrokerEvent;
    try {
      event = JSON.parse(payload.toString()) as BrokerEvent;
    } catch {
      return; // Not ours: someone else published on our prefix.
    }
    listener(event);
  });

  return {
    async publish(conversationId: string, event: BrokerEvent) {
      await publisher.publish(prefix + conversationId, JSON.stringify(event));
    },
    async subscribe(conversationId: string, listener: BrokerListener) {
      listeners.set(conversationId, listener);
      await subscriber.subscribe(prefix + conversationId);
    },
    async unsubscribe(conversationId: string) {
      listeners.delete(conversationId);
      await subscriber.unsubscribe(prefix + conversationId);
    },
    onResync(listener: () => void) {
      resyncListeners.push(listener);
    },
    async close() {
      listeners.clear();
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}

// Redis pub/sub between nodes: one channel per conversation, so a node hears only the
// conversations its clients follow. Pub/sub forgets what it could not deliver; after a reconnect
// the broker resubscribes, and once Redis confirmed that, asks every feed to re-read storage.

import { Redis } from 'ioredis';
import { parseBrokerEvent, type Broker, type BrokerEvent, type BrokerListener } from '@vestnik/collab';

export interface RedisBrokerOptions {
  url: string;
  /**
   * Prefix of the channel names and of the connection names (`CLIENT LIST`), so that several
   * systems can share one Redis. `vestnik` by default.
   */
  prefix?: string;
}

export function createRedisBroker(options: RedisBrokerOptions): Broker {
  const name = options.prefix ?? 'vestnik';
  const prefix = `${name}:conversation:`;
  // No retry limit: subscribe and unsubscribe wait in ioredis's queue while Redis is away.
  // Resubscribing is done here, not by ioredis, so that onResync fires only once it took effect.
  const redisOptions = { maxRetriesPerRequest: null, autoResubscribe: false } as const;
  const publisher = new Redis(options.url, { ...redisOptions, connectionName: `${name}:pub` });
  const subscriber = new Redis(options.url, { ...redisOptions, connectionName: `${name}:sub` });
  const listeners = new Map<string, BrokerListener>();
  const resyncListeners: Array<() => void> = [];
  let closed = false;
  // Connection errors are retried by ioredis; they must not become unhandled 'error' events.
  publisher.on('error', () => {});
  subscriber.on('error', () => {});

  // Once connected, publishes do not queue up while Redis is away (that queue would grow with every
  // message of an outage): they fail at once, and the system's publisher keeps only what it needs
  // to retry. Before the first connection they wait, so that a node starting up loses nothing.
  let publisherReady = false;
  publisher.on('ready', () => (publisherReady = true));

  let everReady = false;
  subscriber.on('ready', () => {
    if (!everReady) {
      everReady = true;
      return;
    }
    // What was published while we were away is gone: listen again, then let every feed re-read
    // storage. Resync only after SUBSCRIBE returned, or a message could slip between the two.
    const channels = [...listeners.keys()].map((id) => prefix + id);
    const resubscribed = channels.length > 0 ? subscriber.subscribe(...channels) : Promise.resolve();
    resubscribed.then(
      () => {
        if (!closed) for (const listener of resyncListeners) listener();
      },
      () => {}, // The connection dropped again; the next 'ready' tries again.
    );
  });

  subscriber.on('messageBuffer', (channel: Buffer, payload: Buffer) => {
    const conversationId = channel.toString().slice(prefix.length);
    const listener = listeners.get(conversationId);
    if (listener === undefined) return;
    const event = parseBrokerEvent(payload.toString(), conversationId);
    if (event !== undefined) listener(event); // else: not ours, or malformed; dropped
  });

  return {
    async publish(conversationId: string, event: BrokerEvent) {
      if (publisherReady && publisher.status !== 'ready') {
        throw new Error(`Redis is unreachable (${publisher.status}); the event was not published`);
      }
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
      closed = true;
      listeners.clear();
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}

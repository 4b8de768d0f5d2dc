import { describe, expect, it } from 'vitest';
import { createMemoryBroker, MemoryBus } from '../broker/memory-broker.js';
import { FeedRegistry } from './feed-registry.js';
import type { FeedSubscriber } from './conversation-feed.js';

const noStorage = {
  readAfter: async () => [],
  lastSeq: async () => 0,
  participants: async () => ['u'],
  blockedParticipants: async () => [],
};

function subscriber(): FeedSubscriber {
  return { userId: 'u', offer: () => {}, end: () => {} };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

describe('FeedRegistry', () => {
  it('stops listening once a lingering feed that was re-used empties again', async () => {
    const bus = new MemoryBus();
    const registry = new FeedRegistry(
      createMemoryBroker(bus),
      noStorage,
      (e) => {
        throw e;
      },
      20,
    );
    const first = subscriber();
    const feed = await registry.acquire('c');
    feed.add(first);
    // A second subscription is on its way while the first leaves: the feed lingers with nobody,
    // then the second one arrives before the linger ends.
    const second = registry.acquire('c');
    feed.remove(first);
    registry.release('c');
    const again = await second;
    expect(again).toBe(feed);
    const late = subscriber();
    again.add(late);
    await new Promise((r) => setTimeout(r, 60)); // the linger fires and finds a subscriber
    expect(registry.has('c')).toBe(true);
    again.remove(late);
    registry.release('c');
    await until(() => !registry.has('c') && !bus.listeners.has('c'), 'the feed to stop listening');
    registry.close();
  });

  it('gives concurrent acquirers one feed and one broker subscription', async () => {
    const bus = new MemoryBus();
    const registry = new FeedRegistry(createMemoryBroker(bus), noStorage, () => {}, 20);
    const feeds = await Promise.all([registry.acquire('c'), registry.acquire('c'), registry.acquire('c')]);
    expect(new Set(feeds).size).toBe(1);
    expect(bus.listeners.get('c')?.size).toBe(1);
    registry.close();
  });
});

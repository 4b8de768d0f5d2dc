// A subscription the system ends (its user was removed) lets go of the node's conversation feed,
// so the node stops listening to the conversation once the feed has lingered.

import { describe, expect, it } from 'vitest';
import type { StorageFixture } from '@vestnik/storage/testing';
import { createMemoryBroker, MemoryBus } from '../broker/memory-broker.js';
import { createCollab } from '../service/collab.js';

export function subscriptionEndSuite(fixture: StorageFixture): void {
  describe('a subscription ended by a removal', () => {
    it('releases the feed, and the node stops listening to the conversation', async () => {
      const bus = new MemoryBus();
      const { storage } = await fixture.create();
      const collab = await createCollab({ storage, broker: createMemoryBroker(bus), feedLingerMs: 10 });
      try {
        await collab.register({ applicationName: 'test' });
        const user = await collab.createUser({ externalId: 'u', name: 'U' });
        const conversation = await collab.createConversation({ key: 'k', participants: [user.id] });
        let ended = false;
        await collab.subscribe({
          conversation: { key: 'k' },
          asUser: user.id,
          onMessage: () => {},
          onEnd: () => (ended = true),
        });
        expect(bus.listeners.has(conversation.id)).toBe(true);
        await collab.removeParticipants({ key: 'k' }, [user.id]);
        for (let i = 0; i < 250 && (!ended || bus.listeners.has(conversation.id)); i++) {
          await new Promise((r) => setTimeout(r, 20));
        }
        expect(ended).toBe(true);
        expect(bus.listeners.has(conversation.id)).toBe(false);
      } finally {
        await collab.close();
      }
    });
  });
}

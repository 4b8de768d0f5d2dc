// A publish that fails after the commit must not lose the message: the system publishes again.

import { describe, expect, it } from 'vitest';
import type { StorageFixture } from '@vestnik/storage/testing';
import type { Broker } from '../broker/broker.js';
import { createMemoryBroker, MemoryBus } from '../broker/memory-broker.js';
import { createCollab } from '../service/collab.js';
import { collector } from './collector.js';

/** A real in-process broker whose next `failures` publishes fail, as a Redis outage would. */
function failingFirst(broker: Broker, failures: number): Broker & { failed: number } {
  const wrapped = {
    ...broker,
    failed: 0,
    async publish(...args: Parameters<Broker['publish']>) {
      if (wrapped.failed < failures) {
        wrapped.failed++;
        throw new Error('broker unavailable');
      }
      return broker.publish(...args);
    },
  };
  return wrapped;
}

export function publisherSuite(fixture: StorageFixture): void {
  describe('publishing after commit', () => {
    it('publishes again when the broker failed, so subscribers still get every message', async () => {
      const bus = new MemoryBus();
      const { storage, share } = await fixture.create();
      // The writer's broker fails; the subscriber listens on another node of the same bus.
      const broker = failingFirst(createMemoryBroker(bus), 3);
      const errors: unknown[] = [];
      const writer = await createCollab({ storage, broker, onError: (e) => errors.push(e) });
      const reader = await createCollab({
        storage: share(),
        broker: createMemoryBroker(bus),
        onError: () => {},
      });
      try {
        await writer.register({ applicationName: 'test' });
        const user = await writer.createUser({ externalId: 'u', name: 'U' });
        await writer.createConversation({ key: 'k', participants: [user.id] });
        const got = collector();
        await reader.subscribe({ conversation: { key: 'k' }, asUser: user.id, ...got });
        await writer.createMessage({ conversation: { key: 'k' }, text: 'one' });
        await writer.createMessage({ conversation: { key: 'k' }, text: 'two' });
        await writer.createMessage({ conversation: { key: 'k' }, text: 'three' });
        expect((await got.waitFor(3)).map((m) => m.text)).toEqual(['one', 'two', 'three']);
        expect(broker.failed).toBe(3);
        expect(errors.length).toBeGreaterThanOrEqual(1); // once per outage, not per message
      } finally {
        await writer.close();
        await reader.close();
      }
    });
  });
}

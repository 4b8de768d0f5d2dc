// When the broker cannot start listening to a conversation, subscribe() answers with a code the
// caller can act on, and a later attempt starts afresh.

import { describe, expect, it } from 'vitest';
import type { StorageFixture } from '@vestnik/storage/testing';
import { isVestnikError } from '@vestnik/protocol';
import type { Broker } from '../broker/broker.js';
import { createMemoryBroker } from '../broker/memory-broker.js';
import { createCollab } from '../service/collab.js';
import { collector } from './collector.js';

export function brokerFailureSuite(fixture: StorageFixture): void {
  describe('a broker that cannot subscribe', () => {
    it('makes subscribe fail with UNAVAILABLE, and the next subscribe works', async () => {
      const real = createMemoryBroker();
      let refuse = true;
      const broker: Broker = {
        ...real,
        async subscribe(...args) {
          if (refuse) throw new Error('connection refused');
          return real.subscribe(...args);
        },
      };
      const errors: unknown[] = [];
      const { storage } = await fixture.create();
      const collab = await createCollab({ storage, broker, onError: (e) => errors.push(e) });
      try {
        await collab.register({ applicationName: 'test' });
        const user = await collab.createUser({ externalId: 'u', name: 'U' });
        await collab.createConversation({ key: 'k', participants: [user.id] });
        const got = collector();
        const failed = await collab.subscribe({ conversation: { key: 'k' }, asUser: user.id, ...got }).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(isVestnikError(failed, 'UNAVAILABLE')).toBe(true);
        expect(errors).toHaveLength(1);
        refuse = false;
        await collab.subscribe({ conversation: { key: 'k' }, asUser: user.id, ...got });
        await collab.createMessage({ conversation: { key: 'k' }, text: 'now' });
        expect((await got.waitFor(1)).map((m) => m.text)).toEqual(['now']);
      } finally {
        await collab.close();
      }
    });
  });
}

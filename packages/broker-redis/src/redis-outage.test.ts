// Two nodes joined by Redis, and Redis cuts their connections while messages are written: the
// subscriber on the other node still receives every message, in order, once, when Redis is back
// (the writer's failed publishes are retried; the reader's feed re-reads storage on resync).

import { afterAll, describe, expect, it } from 'vitest';
import { createCollab } from '@vestnik/collab';
import { collector } from '@vestnik/collab/testing';
import { sqliteFixture } from '@vestnik/storage-sqlite/testing';
import { serviceAvailable } from '@vestnik/testing';
import { redisBus } from './testing/redis-bus.js';

const available = await serviceAvailable('redis');

describe.skipIf(!available)('a Redis outage between two nodes', () => {
  const fixture = sqliteFixture();
  afterAll(() => fixture.dispose());

  it('loses nothing: every message arrives in order, once', async () => {
    const bus = redisBus();
    const { storage, share } = await fixture.create();
    const errors: unknown[] = [];
    const writer = await createCollab({ storage, broker: bus.connect(), onError: (e) => errors.push(e) });
    const reader = await createCollab({ storage: share(), broker: bus.connect(), onError: () => {} });
    try {
      await writer.register({ applicationName: 'test' });
      const user = await writer.createUser({ externalId: 'u', name: 'U' });
      await writer.createConversation({ key: 'k', participants: [user.id] });
      const got = collector();
      await reader.subscribe({ conversation: { key: 'k' }, asUser: user.id, ...got });
      await writer.createMessage({ conversation: { key: 'k' }, text: 'before' });
      await got.waitFor(1);

      await bus.dropConnections!();
      for (const text of ['during 1', 'during 2', 'during 3']) {
        await writer.createMessage({ conversation: { key: 'k' }, text });
      }
      await got.waitFor(4, 20_000);
      await writer.createMessage({ conversation: { key: 'k' }, text: 'after' });
      await got.waitFor(5, 20_000);
      await new Promise((r) => setTimeout(r, 200));
      expect(got.messages.map((m) => m.text)).toEqual([
        'before',
        'during 1',
        'during 2',
        'during 3',
        'after',
      ]);
      expect(got.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    } finally {
      await writer.close();
      await reader.close();
      await bus.dispose!();
    }
  });
});

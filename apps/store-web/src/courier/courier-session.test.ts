// The courier's start without a browser: what counts as missed (one summary) and what as live,
// duplicates at the seam between history and live delivery, bursts, and read marks per user.
import { describe, expect, it } from 'vitest';
import type { CourierNotification } from '../api/types.js';
import type { ConnectionState, LiveFeed, WireMessage } from '../collab/live-feed.js';
import { CourierSession } from './courier-session.js';
import type { KeyValueStore } from './read-marks.js';

function memoryStore(): KeyValueStore {
  const map = new Map<string, string>();
  return { getItem: (key) => map.get(key) ?? null, setItem: (key, value) => void map.set(key, value) };
}

function notification(seq: number, kind: 'assigned' | 'unassigned' = 'assigned'): CourierNotification {
  return {
    id: `m${seq}`,
    conversationId: 'service',
    seq,
    authorId: null,
    createdAt: new Date(0).toISOString(),
    text: 'New order',
    recipients: ['u1'],
    data: {
      text: 'New order',
      order: { $ref: 'Order', id: `o${seq}` },
      courier: { $ref: 'Courier', id: 'c1' },
      kind,
      number: String(seq).padStart(6, '0'),
    },
  };
}

/** A feed whose messages the test pushes by hand, remembering where the client subscribed from. */
function manualFeed() {
  let handler: ((message: WireMessage) => void) | undefined;
  const feed = {
    since: -1,
    push: (message: WireMessage) => handler?.(message),
    feed: {
      state: 'connected' as ConnectionState,
      onState: () => () => {},
      attach(_key: string, since: number, h: (message: WireMessage) => void) {
        feed.since = since;
        handler = h;
        return () => (handler = undefined);
      },
      close() {},
    } satisfies LiveFeed,
  };
  return feed;
}

function startSession(history: CourierNotification[], store: KeyValueStore, userId = 'u1') {
  const live = manualFeed();
  const missed: CourierNotification[][] = [];
  const batches: CourierNotification[][] = [];
  const session = new CourierSession({
    userId,
    conversationKey: 'service',
    fetchHistory: async (after) => {
      const rest = history.filter((n) => n.seq > after);
      return { messages: rest.slice(0, 2), hasMore: rest.length > 2 };
    },
    openFeed: () => live.feed,
    onMissed: (list) => missed.push(list),
    onLive: (batch) => batches.push(batch),
    onError: (error) => {
      throw error;
    },
    store,
  });
  return { session, live, missed, batches };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('CourierSession', () => {
  it('reports everything unread from before as missed on the first start, and only newer ones later', async () => {
    const store = memoryStore();
    const first = startSession([notification(1), notification(2), notification(3)], store);
    await first.session.start();
    expect(first.missed).toEqual([[notification(1), notification(2), notification(3)]]);
    expect(first.live.since).toBe(3);
    first.session.close();

    const second = startSession(
      [1, 2, 3, 4].map((n) => notification(n)),
      store,
    );
    await second.session.start();
    expect(second.missed).toEqual([[notification(4)]]);
    expect(second.session.inbox.unreadCount).toBe(4);
    second.session.close();
  });

  it('hands each live message on once, gathering a burst into one batch', async () => {
    const { session, live, batches } = startSession([notification(1)], memoryStore());
    await session.start();
    live.push(notification(1)); // already in the history
    live.push(notification(2));
    await settle();
    live.push(notification(3));
    live.push(notification(3));
    live.push(notification(4));
    await settle();
    expect(batches.map((batch) => batch.map((n) => n.seq))).toEqual([[2], [3, 4]]);
    expect(session.inbox.items.map((n) => n.seq)).toEqual([4, 3, 2, 1]);
    session.close();
  });

  it('ignores messages that are not courier notifications', async () => {
    const { session, live, batches } = startSession([], memoryStore());
    await session.start();
    live.push({ id: 'x', seq: 1, createdAt: '', text: 'hello', data: { something: 'else' } });
    await settle();
    expect(batches).toEqual([]);
    session.close();
  });

  it('keeps read marks per user', async () => {
    const store = memoryStore();
    const a = startSession([notification(1), notification(2)], store, 'a');
    await a.session.start();
    a.session.inbox.markRead(1);
    a.session.close();

    const again = startSession([notification(1), notification(2)], store, 'a');
    await again.session.start();
    expect([again.session.inbox.isUnread(1), again.session.inbox.isUnread(2)]).toEqual([false, true]);
    expect(again.missed).toEqual([[]]);

    const b = startSession([notification(1), notification(2)], store, 'b');
    await b.session.start();
    expect(b.session.inbox.unreadCount).toBe(2);
    expect(b.missed).toEqual([[notification(1), notification(2)]]);
  });
});

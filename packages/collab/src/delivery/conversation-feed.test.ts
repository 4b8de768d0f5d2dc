import { describe, expect, it } from 'vitest';
import { ConversationFeed } from './conversation-feed.js';
import { message, subscriber, until } from './feed-test-support.js';

describe('ConversationFeed', () => {
  it('fills a gap from storage and passes every message once, in order', async () => {
    const stored = Array.from({ length: 1200 }, (_, i) => message(i + 1));
    const feed = new ConversationFeed(
      'c',
      {
        readAfter: async (after, limit) => stored.filter((m) => m.seq > after).slice(0, limit),
        participants: async () => ['u'],
        blockedParticipants: async () => [],
      },
      (e) => {
        throw e;
      },
    );
    const u = subscriber('u');
    feed.add(u.s);
    feed.start(0);
    feed.receive({ type: 'message', message: message(1) });
    feed.receive({ type: 'message', message: message(1100) }); // a gap of more than one page
    feed.receive({ type: 'message', message: message(3) }); // late, while filling
    feed.receive({ type: 'message', message: message(1200) });
    await until(() => u.seqs.length >= 1200);
    expect(u.seqs).toEqual(stored.map((m) => m.seq));
  });

  it('drops an event storage does not hold instead of reading storage for it forever', async () => {
    const stored = [message(1), message(2)];
    let reads = 0;
    const errors: string[] = [];
    const feed = new ConversationFeed(
      'c',
      {
        readAfter: async (after, limit) => {
          reads++;
          return stored.filter((m) => m.seq > after).slice(0, limit);
        },
        participants: async () => ['u'],
        blockedParticipants: async () => [],
      },
      (e) => void errors.push(String((e as Error).message)),
    );
    const u = subscriber('u');
    feed.add(u.s);
    feed.start(2);
    feed.receive({ type: 'message', message: message(40) }); // stale or foreign: never committed here
    await until(() => errors.length > 0);
    await new Promise((r) => setTimeout(r, 50));
    expect(errors).toEqual(['Ignored an event for seq 40 that storage does not hold.']);
    expect(reads).toBe(1);
    stored.push(message(3));
    feed.receive({ type: 'message', message: message(3) });
    expect(u.seqs).toEqual([3]);
  });

  it('on resync, ends the subscriptions of users no longer taking part', async () => {
    let participants = ['u', 'v'];
    const feed = new ConversationFeed(
      'c',
      {
        readAfter: async () => [],
        participants: async () => participants,
        blockedParticipants: async () => [],
      },
      () => {},
    );
    const u = subscriber('u');
    const v = subscriber('v');
    feed.add(u.s);
    feed.add(v.s);
    feed.start(0);
    participants = ['u']; // v was removed while the broker was away: its event was lost
    feed.resync();
    await until(() => v.ended.length > 0);
    expect(v.ended).toEqual(['NOT_PARTICIPANT']);
    expect(u.ended).toEqual([]);
    expect(feed.size).toBe(1);
  });

  it('reads again when a resync comes while a fill is under way', async () => {
    const stored = [message(1), message(2)];
    const reads: Array<() => void> = [];
    const feed = new ConversationFeed(
      'c',
      {
        // Each read takes its snapshot now and answers when the test lets it.
        readAfter: (after) => {
          const snapshot = stored.filter((m) => m.seq > after);
          return new Promise((resolve) => reads.push(() => resolve(snapshot)));
        },
        participants: async () => ['u'],
        blockedParticipants: async () => [],
      },
      (e) => {
        throw e;
      },
    );
    const u = subscriber('u');
    feed.add(u.s);
    feed.start(0);
    feed.receive({ type: 'message', message: message(2) }); // gap: a fill starts, snapshot [1, 2]
    await until(() => reads.length === 1);
    stored.push(message(3)); // committed while the broker was away: its event is lost
    feed.resync(); // the broker is back, while the first fill is still reading
    reads.shift()!();
    await until(() => reads.length === 1);
    reads.shift()!();
    await until(() => u.seqs.length === 3);
    expect(u.seqs).toEqual([1, 2, 3]);
  });

  it('keeps several subscriptions of one user apart, and says when the last one left', () => {
    let idle = 0;
    const feed = new ConversationFeed(
      'c',
      {
        readAfter: async () => [],
        participants: async () => ['u', 'v'],
        blockedParticipants: async () => [],
      },
      (e) => {
        throw e;
      },
      () => idle++,
    );
    feed.start(0);
    const [u1, u2, u3, v] = [subscriber('u'), subscriber('u'), subscriber('u'), subscriber('v')];
    for (const x of [u1, u2, u3, v, u1]) feed.add(x.s);
    expect(feed.size).toBe(4);
    feed.receive({ type: 'message', message: { ...message(1), recipients: ['u'] } });
    feed.leave(u2.s);
    feed.leave(u3.s);
    feed.receive({ type: 'message', message: { ...message(2), recipients: ['u'] } });
    feed.receive({ type: 'message', message: message(3) });
    expect([u1.seqs, u2.seqs, u3.seqs, v.seqs]).toEqual([[1, 2, 3], [1], [1], [3]]);
    feed.receive({ type: 'participants-removed', conversationId: 'c', userIds: ['u'] });
    expect(u1.ended).toEqual(['NOT_PARTICIPANT']);
    expect([feed.size, idle]).toEqual([1, 0]);
    feed.leave(v.s);
    expect([feed.size, idle]).toEqual([0, 1]);
  });
});

describe('ConversationFeed recent messages', () => {
  function stored(count: number) {
    const messages = Array.from({ length: count }, (_, i) => message(i + 1));
    let reads = 0;
    const storage = {
      readAfter: async (after: number, limit: number) => {
        reads++;
        await new Promise((r) => setTimeout(r, 5));
        return messages.filter((m) => m.seq > after).slice(0, limit);
      },
      participants: async () => ['u'],
      blockedParticipants: async () => [],
    };
    return { messages, storage, reads: () => reads };
  }
  const fail = (e: unknown) => {
    throw e;
  };

  it('serves what it passed on, and nothing before it started', () => {
    const { messages, storage } = stored(10);
    const feed = new ConversationFeed('c', storage, fail, undefined, { maxMessages: 4, maxBytes: 1 << 20 });
    expect(feed.recentFor('u', 0, 10)).toBeUndefined(); // not started
    feed.start(5);
    expect(feed.recentFor('u', 5, 10)).toEqual([]);
    expect(feed.recentFor('u', 4, 10)).toBeUndefined();
    for (const m of messages.slice(5)) feed.receive({ type: 'message', message: m });
    expect(feed.recentFor('u', 6, 10)?.map((m) => m.seq)).toEqual([7, 8, 9, 10]);
    expect(feed.recentFor('u', 6, 10)?.[0]).toBe(messages[6]); // the very objects passed on
    expect(feed.recentFor('u', 5, 10)).toBeUndefined();
  });

  it('stays contiguous through a gap filled from storage', async () => {
    const { messages, storage } = stored(12);
    const feed = new ConversationFeed('c', storage, fail, undefined, { maxMessages: 8, maxBytes: 1 << 20 });
    feed.start(0);
    feed.receive({ type: 'message', message: messages[0]! });
    feed.receive({ type: 'message', message: messages[11]! }); // 2..11 come from storage
    await until(() => feed.lastSeq === 12);
    expect(feed.recentFor('u', 4, 100)?.map((m) => m.seq)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('warms from one storage read shared by concurrent askers, only when few enough', async () => {
    const { storage, reads } = stored(300);
    const feed = new ConversationFeed('c', storage, fail, undefined, { maxMessages: 100, maxBytes: 1 << 20 });
    feed.start(300);
    await Promise.all([feed.warm(250), feed.warm(260), feed.warm(290)]);
    expect(reads()).toBe(1);
    expect(feed.recentFor('u', 250, 100)?.map((m) => m.seq)).toEqual(
      Array.from({ length: 50 }, (_, i) => 251 + i),
    );
    await feed.warm(100); // 200 back: more than it keeps, so storage is read by the caller instead
    expect(reads()).toBe(1);
    expect(feed.recentFor('u', 100, 10)).toBeUndefined();
    await feed.warm(240); // reaches further back, joining what is held
    expect(reads()).toBe(2);
    expect(feed.recentFor('u', 240, 100)?.length).toBe(60);
  });
});

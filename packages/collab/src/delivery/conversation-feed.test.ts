import { describe, expect, it } from 'vitest';
import type { Message, VestnikError } from '@vestnik/protocol';
import { ConversationFeed, type FeedSubscriber } from './conversation-feed.js';

function message(seq: number): Message {
  return {
    id: `m${seq}`,
    conversationId: 'c',
    seq,
    authorId: null,
    createdAt: new Date(0).toISOString(),
    text: `m${seq}`,
    data: null,
    recipients: [],
  };
}

function subscriber(userId: string) {
  const seqs: number[] = [];
  const ended: string[] = [];
  const s: FeedSubscriber = {
    userId,
    offer: (m) => void seqs.push(m.seq),
    end: (e: VestnikError) => void ended.push(e.code),
  };
  return { s, seqs, ended };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
}

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

import { describe, expect, it } from 'vitest';
import type { Message, VestnikError } from '@vestnik/protocol';
import { Backlog } from './backlog.js';
import { ConversationFeed } from './conversation-feed.js';
import { message } from './feed-test-support.js';
import { FeedSubscription, MAX_BUFFERED_WHILE_CATCHING_UP } from './subscription.js';

const stored = (upTo: number) => Array.from({ length: upTo }, (_, i) => message(i + 1));

function feedOver(messages: Message[]): ConversationFeed {
  return new ConversationFeed(
    'c',
    {
      readAfter: async (after, limit) => messages.filter((m) => m.seq > after).slice(0, limit),
      participants: async () => ['u'],
      blockedParticipants: async () => [],
    },
    (e) => {
      throw e;
    },
    undefined,
    { maxMessages: 100, maxBytes: 1 << 20 },
  );
}

describe('FeedSubscription while catching up', () => {
  it('holds live messages up to a bound, then ends with UNAVAILABLE and leaves the feed', () => {
    const feed = feedOver([]);
    feed.start(0);
    const got: number[] = [];
    const ended: VestnikError[] = [];
    const subscription = new FeedSubscription(
      'u',
      0,
      { onMessage: (m) => void got.push(m.seq), onEnd: (e) => void ended.push(e) },
      feed,
    );
    feed.add(subscription);
    for (let seq = 1; seq <= MAX_BUFFERED_WHILE_CATCHING_UP; seq++)
      feed.receive({ type: 'message', message: message(seq) });
    expect(ended).toEqual([]);
    feed.receive({ type: 'message', message: message(MAX_BUFFERED_WHILE_CATCHING_UP + 1) });
    expect(ended.map((e) => e.code)).toEqual(['UNAVAILABLE']);
    expect(subscription.closed).toBe(true);
    expect(feed.size).toBe(0);
    subscription.goLive();
    expect(got).toEqual([]); // nothing of an ended subscription is handed over
  });

  it('reads storage, not the feed, while the feed is behind what storage held at the check', async () => {
    const messages = stored(7);
    const feed = feedOver(messages);
    feed.start(5); // the events of 6 and 7 have not reached this node yet
    const reads: number[] = [];
    const backlog = new Backlog(feed, 'u', { trimmedSeq: 0, lastSeq: 7 }, async (after, limit) => {
      reads.push(after);
      return messages.filter((m) => m.seq > after).slice(0, limit);
    });
    expect((await backlog.read(4, 10)).map((m) => m.seq)).toEqual([5, 6, 7]);
    expect(reads).toEqual([4]);
    feed.receive({ type: 'message', message: messages[5]! });
    feed.receive({ type: 'message', message: messages[6]! });
    // Caught up: a feed at least as far as storage serves from memory.
    const fromMemory = new Backlog(feed, 'u', { trimmedSeq: 0, lastSeq: 7 }, async () => {
      throw new Error('storage read');
    });
    expect((await fromMemory.read(5, 10)).map((m) => m.seq)).toEqual([6, 7]);
  });
});

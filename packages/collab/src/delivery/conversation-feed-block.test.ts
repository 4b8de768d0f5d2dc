import { describe, expect, it } from 'vitest';
import { ConversationFeed } from './conversation-feed.js';
import { message, subscriber, until } from './feed-test-support.js';

describe('ConversationFeed and blocked users', () => {
  it('ends every subscription of a blocked user with USER_BLOCKED, and only theirs', () => {
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
    );
    feed.start(0);
    const [u1, u2, v] = [subscriber('u'), subscriber('u'), subscriber('v')];
    for (const x of [u1, u2, v]) feed.add(x.s);
    feed.receive({ type: 'user-blocked', conversationId: 'c', userId: 'u' });
    expect([u1.ended, u2.ended, v.ended]).toEqual([['USER_BLOCKED'], ['USER_BLOCKED'], []]);
    expect(feed.size).toBe(1);
    feed.receive({ type: 'message', message: message(1) });
    expect([u1.seqs, u2.seqs, v.seqs]).toEqual([[], [], [1]]);
  });

  it('on resync, ends the subscriptions of users blocked while the broker was away', async () => {
    let blocked: string[] = [];
    const feed = new ConversationFeed(
      'c',
      {
        readAfter: async () => [],
        participants: async () => ['u', 'v', 'w'],
        blockedParticipants: async () => blocked,
      },
      () => {},
    );
    const [u, v, gone] = [subscriber('u'), subscriber('v'), subscriber('x')];
    for (const x of [u, v, gone]) feed.add(x.s);
    feed.start(0);
    blocked = ['v']; // v was blocked while the broker was away: its event was lost
    feed.resync();
    await until(() => v.ended.length > 0 && gone.ended.length > 0);
    expect([u.ended, v.ended, gone.ended]).toEqual([[], ['USER_BLOCKED'], ['NOT_PARTICIPANT']]);
    expect(feed.size).toBe(1);
  });
});

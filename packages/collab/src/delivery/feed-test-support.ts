// Shared by the delivery tests: messages of conversation 'c' numbered by seq, a subscriber that
// records what it got, and a wait for a condition.

import type { Message, VestnikError } from '@vestnik/protocol';
import type { FeedSubscriber } from './conversation-feed.js';

export function message(seq: number, recipients: string[] = [], authorId: string | null = null): Message {
  return {
    id: `m${seq}`,
    conversationId: 'c',
    seq,
    authorId,
    createdAt: new Date(0).toISOString(),
    text: `m${seq}`,
    data: null,
    recipients,
  };
}

/** A feed subscriber that records the seqs offered to it and the codes it was ended with. */
export function subscriber(userId: string) {
  const seqs: number[] = [];
  const ended: string[] = [];
  const s: FeedSubscriber = {
    userId,
    offer: (m) => void seqs.push(m.seq),
    end: (e: VestnikError) => void ended.push(e.code),
  };
  return { s, seqs, ended };
}

export async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
}

import { describe, expect, it } from 'vitest';
import type { Message } from '@vestnik/protocol';
import { message } from './feed-test-support.js';
import { estimateBytes, RecentMessages } from './recent-messages.js';

const seqs = (messages: Message[]) => messages.map((m) => m.seq);
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => message(from + i));

describe('RecentMessages', () => {
  it('keeps the newest messages up to the count, contiguous', () => {
    const ring = new RecentMessages(4, 1 << 20);
    for (const m of range(1, 10)) ring.append(m);
    expect([ring.firstSeq, ring.lastSeq, ring.length]).toEqual([7, 10, 4]);
    expect(ring.covers(6, 10)).toBe(true);
    expect(ring.covers(5, 10)).toBe(false);
    expect(ring.covers(10, 10)).toBe(true);
    expect(seqs(ring.visibleAfter('u', 6, 100))).toEqual([7, 8, 9, 10]);
    expect(seqs(ring.visibleAfter('u', 8, 100))).toEqual([9, 10]);
    expect(seqs(ring.visibleAfter('u', 6, 2))).toEqual([7, 8]);
    expect(ring.visibleAfter('u', 10, 100)).toEqual([]);
  });

  it('keeps no more than its bytes, and nothing when a message alone is larger', () => {
    const one = estimateBytes(message(10));
    const ring = new RecentMessages(100, one * 3);
    for (const m of range(1, 10)) ring.append(m);
    expect([ring.firstSeq, ring.lastSeq]).toEqual([8, 10]);
    ring.append({ ...message(11), text: 'x'.repeat(one * 3) });
    expect(ring.length).toBe(0);
    expect(ring.covers(10, 11)).toBe(false);
  });

  it('starts over when a message does not follow the newest one', () => {
    const ring = new RecentMessages(10, 1 << 20);
    for (const m of range(1, 3)) ring.append(m);
    ring.append(message(5));
    expect([ring.firstSeq, ring.lastSeq]).toEqual([5, 5]);
    expect(ring.covers(3, 5)).toBe(false);
  });

  it('filters by recipients as storage does: recipients and the author see it', () => {
    const ring = new RecentMessages(10, 1 << 20);
    ring.append(message(1));
    ring.append(message(2, ['a']));
    ring.append(message(3, ['b'], 'a'));
    ring.append(message(4, ['b']));
    expect(seqs(ring.visibleAfter('a', 0, 10))).toEqual([1, 2, 3]);
    expect(seqs(ring.visibleAfter('b', 0, 10))).toEqual([1, 3, 4]);
    expect(seqs(ring.visibleAfter('c', 0, 10))).toEqual([1]);
  });

  it('takes an older page only where it joins, and only up to the last seq passed on', () => {
    const ring = new RecentMessages(6, 1 << 20);
    ring.prepend(range(3, 8), 6); // empty: the page must reach 6; 7 and 8 are not passed on yet
    expect([ring.firstSeq, ring.lastSeq]).toEqual([3, 6]);
    ring.append(message(7));
    ring.prepend(range(1, 1), 7); // does not join 3
    expect(ring.firstSeq).toBe(3);
    ring.prepend([message(1), message(2)], 7);
    expect([ring.firstSeq, ring.lastSeq, ring.length]).toEqual([2, 7, 6]); // bounded: 1 did not fit
    expect(seqs(ring.visibleAfter('u', 1, 10))).toEqual([2, 3, 4, 5, 6, 7]);
    const holed = new RecentMessages(10, 1 << 20);
    holed.prepend([message(1), message(2), message(4), message(5)], 5); // a hole: only 4..5 join
    expect([holed.firstSeq, holed.lastSeq]).toEqual([4, 5]);
    const short = new RecentMessages(10, 1 << 20);
    short.prepend(range(1, 4), 6); // does not reach the last seq passed on: nothing
    expect(short.length).toBe(0);
  });

  it('keeps nothing when its count is 0', () => {
    const ring = new RecentMessages(0, 1 << 20);
    ring.append(message(1));
    ring.prepend(range(1, 2), 2);
    expect(ring.length).toBe(0);
    expect(ring.covers(0, 2)).toBe(false);
  });
});

// The checker must catch every kind of failure it reports on, or a clean chaos run means nothing.
// (This file runs in the chaos run; the checker is pure, so it is quick.)

import { describe, expect, it } from 'vitest';
import type { Message } from '@vestnik/protocol';
import { checkDeliveries } from './delivery-check.js';

const message = (seq: number, recipients: string[] = []): Message => ({
  id: `m${seq}`,
  conversationId: 'c1',
  seq,
  authorId: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  text: `text ${seq}`,
  data: { seq },
  recipients,
});

const committed = [message(1), message(2, ['u2']), message(3), message(4, ['u1'])];
const u1 = (received: Message[]) => [{ name: 'a', userId: 'u1', after: 0, received }];

describe('checkDeliveries', () => {
  it('accepts exactly the visible messages in order', () => {
    const v = checkDeliveries(committed, ['m1', 'm3'], u1([message(1), message(3), message(4, ['u1'])]));
    expect(v).toMatchObject({ lost: 0, duplicated: 0, outOfOrder: 0, wrongUser: 0, phantom: 0 });
    expect(v.deliveriesExpected).toBe(3);
  });

  it('counts a lost, a duplicated, a reordered and a misaddressed message', () => {
    expect(checkDeliveries(committed, [], u1([message(1), message(4, ['u1'])])).lost).toBe(1);
    expect(
      checkDeliveries(committed, [], u1([message(1), message(1), message(3), message(4)])).duplicated,
    ).toBe(1);
    expect(checkDeliveries(committed, [], u1([message(3), message(1), message(4)])).outOfOrder).toBe(1);
    expect(
      checkDeliveries(committed, [], u1([message(1), message(2), message(3), message(4)])).wrongUser,
    ).toBe(1);
  });

  it('counts acknowledged writes missing from storage and messages never committed', () => {
    expect(checkDeliveries(committed, ['m9'], []).lost).toBe(1);
    const v = checkDeliveries(committed, [], u1([message(1), message(3), message(4), message(5)]));
    expect(v.phantom).toBe(1);
  });

  it('takes the same data with its keys in another order as the same, and other data as a phantom', () => {
    const stored: Message = { ...message(1), data: { order: { $ref: 'Order', id: 'o1' }, kind: 'assigned' } };
    const reordered: Message = { ...stored, data: { kind: 'assigned', order: { id: 'o1', $ref: 'Order' } } };
    const changed: Message = { ...stored, data: { kind: 'assigned', order: { id: 'o2', $ref: 'Order' } } };
    expect(checkDeliveries([stored], [], u1([reordered])).phantom).toBe(0);
    expect(checkDeliveries([stored], [], u1([changed])).phantom).toBe(1);
  });

  it('expects only what follows where the subscriber started', () => {
    const v = checkDeliveries(committed, [], [{ name: 'b', userId: 'u1', after: 3, received: [message(4)] }]);
    expect(v).toMatchObject({ lost: 0, deliveriesExpected: 1 });
  });
});

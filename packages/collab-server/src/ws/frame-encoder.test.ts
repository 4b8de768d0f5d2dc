import { describe, expect, it } from 'vitest';
import type { Message } from '@vestnik/protocol';
import { pushFrame } from './frame-encoder.js';

const message = (seq: number, text = 'hello'): Message => ({
  id: `m${seq}`,
  conversationId: 'c',
  seq,
  authorId: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  text,
  data: null,
  recipients: [],
});

describe('frame encoder', () => {
  it('serializes a message’s push frame once for all receivers', () => {
    const m = message(1);
    expect(pushFrame(m)).toBe(pushFrame(m));
    expect(pushFrame(message(1))).not.toBe(pushFrame(m));
  });

  it('is the frame’s JSON, which the outbox sends as a text frame', () => {
    const m = message(2, 'я');
    expect(JSON.parse(pushFrame(m).toString('utf8'))).toEqual({
      op: 'message',
      conversationId: 'c',
      message: m,
    });
  });
});

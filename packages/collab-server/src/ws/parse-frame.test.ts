import { describe, expect, it } from 'vitest';
import { FrameError, parseFrame } from './parse-frame.js';

function refusal(text: string): FrameError {
  try {
    parseFrame(text);
  } catch (error) {
    if (error instanceof FrameError) return error;
    throw error;
  }
  throw new Error(`accepted ${text}`);
}

describe('parseFrame', () => {
  it('reads every op', () => {
    expect(parseFrame('{"op":"auth","token":"t"}')).toEqual({ op: 'auth', id: undefined, token: 't' });
    expect(parseFrame('{"op":"subscribe","id":"1","conversation":{"key":"k"},"since":3}')).toEqual({
      op: 'subscribe',
      id: '1',
      conversation: { key: 'k' },
      since: 3,
    });
    expect(parseFrame('{"op":"history","id":"2","conversation":{"id":"c"},"limit":5}')).toMatchObject({
      conversation: { id: 'c' },
      limit: 5,
    });
    expect(parseFrame('{"op":"unsubscribe","conversationId":"c"}')).toMatchObject({ conversationId: 'c' });
    expect(parseFrame('{"op":"ping"}')).toEqual({ op: 'ping', id: undefined });
  });

  it('refuses bad frames with INVALID_ARGUMENT, keeping a usable id', () => {
    for (const text of ['', 'null', '"op"', '[]', '{}', '{"op":5}', '{"op":"fly","id":"9"}']) {
      expect(refusal(text).code).toBe('INVALID_ARGUMENT');
    }
    expect(refusal('{"op":"fly","id":"9"}').frameId).toBe('9');
    expect(refusal('{"op":"subscribe","id":"1","conversation":{}}').frameId).toBe('1');
    expect(refusal('{"op":"subscribe","id":"1","conversation":{"key":""}}').message).toContain(
      'conversation.key',
    );
    expect(refusal('{"op":"subscribe","id":"1","conversation":{"key":"k"},"since":1.5}').message).toContain(
      'since',
    );
    expect(refusal('{"op":"subscribe","conversation":{"key":"k"}}').message).toContain('needs an id');
    expect(refusal(`{"op":"ping","id":"${'x'.repeat(200)}"}`).frameId).toBeUndefined();
    expect(refusal('{"op":"auth","token":7}').message).toContain('token');
  });
});

// Turns server frames into the JSON payloads that the Outbox sends as text frames. A message's push
// payload is serialized once per node and shared by every socket it goes to: the feed hands the
// same Message object to every subscription, so a WeakMap keyed by it finds the payload. ws frames
// it for each socket with a header of its own (2 to 10 bytes) and writes the shared bytes as they are.

import type { Message, ServerFrame } from '@vestnik/protocol';

export function encodeFrame(frame: ServerFrame): Buffer {
  return Buffer.from(JSON.stringify(frame), 'utf8');
}

const pushFrames = new WeakMap<Message, Buffer>();

/** The `message` frame's payload of a message, serialized once for all its receivers. */
export function pushFrame(message: Message): Buffer {
  let frame = pushFrames.get(message);
  if (frame === undefined) {
    frame = encodeFrame({ op: 'message', conversationId: message.conversationId, message });
    pushFrames.set(message, frame);
  }
  return frame;
}

// Turns server frames into ready-to-write WebSocket frames (header + JSON payload in one buffer).
// A message's push frame is built once per node and shared by every socket it goes to: the feed
// hands the same Message object to every subscription, so a WeakMap keyed by it finds the frame.

import * as ws from 'ws';
import type { Message, ServerFrame } from '@vestnik/protocol';

interface SenderStatic {
  frame(
    data: Buffer,
    options: { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean },
  ): Buffer[];
}

// ws exports its Sender at run time, but @types/ws does not declare it.
const Sender = (ws as unknown as { Sender: SenderStatic }).Sender;
if (typeof Sender?.frame !== 'function') throw new Error('ws does not export Sender.frame');
const TEXT = 1;

/** A complete unmasked text frame (server frames are never masked), FIN set, no compression. */
export function encodeText(payload: string): Buffer {
  const data = Buffer.from(payload, 'utf8');
  const parts = Sender.frame(data, { fin: true, opcode: TEXT, mask: false, readOnly: true, rsv1: false });
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

export function encodeFrame(frame: ServerFrame): Buffer {
  return encodeText(JSON.stringify(frame));
}

const pushFrames = new WeakMap<Message, Buffer>();

/** The `message` frame of a message, serialized and framed once for all its receivers. */
export function pushFrame(message: Message): Buffer {
  let frame = pushFrames.get(message);
  if (frame === undefined) {
    frame = encodeFrame({ op: 'message', conversationId: message.conversationId, message });
    pushFrames.set(message, frame);
  }
  return frame;
}

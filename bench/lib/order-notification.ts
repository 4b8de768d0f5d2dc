// The benchmark's message: an order notification of realistic size (text plus two refs), carrying
// a marker `"bench":"<n>:<t>"` (message number, publish time in µs) that receivers find without parsing.

import { performance } from 'node:perf_hooks';

const ORDER_ID = '0b7e3c9a-4f21-4d8e-9a57-3c1f0e6d2b84';
const COURIER_ID = '5d2a8f10-7c3b-4e69-b1d4-8e0f2a9c6b37';
const MARKER = Buffer.from('"bench":"');

/** Microseconds on the generator's clock; publishers and receivers share it (one process). */
export function nowMicros(): number {
  return Math.round(performance.now() * 1000);
}

/** The application part of a notification: what the store puts into a message. */
export function notificationContent(
  n: number,
  t = nowMicros(),
): { text: string; data: Record<string, unknown> } {
  const number = String(n + 1).padStart(6, '0');
  const text = `New order No. ${number} for you`;
  return {
    text,
    data: {
      text,
      order: { $ref: 'Order', id: ORDER_ID },
      courier: { $ref: 'Courier', id: COURIER_ID },
      kind: 'assigned',
      number,
      bench: `${n}:${t}`,
    },
  };
}

/**
 * The whole message as a Vestnik client receives it; the peers relay this same object so that
 * every server moves frames of the same size.
 */
export function notificationMessage(
  n: number,
  conversationId: string,
  t = nowMicros(),
): Record<string, unknown> {
  const { text, data } = notificationContent(n, t);
  return {
    id: `01JD${String(n).padStart(22, '0')}`,
    conversationId,
    seq: n + 1,
    authorId: null,
    createdAt: new Date().toISOString(),
    text,
    data,
    recipients: [],
  };
}

/** Calls `found(n, t)` for every marker in a frame (a server may put several messages in one frame). */
export function scanMarkers(frame: Buffer, found: (n: number, t: number) => void): void {
  let pos = frame.indexOf(MARKER);
  while (pos >= 0) {
    let i = pos + MARKER.length;
    let n = 0;
    let c = frame[i]!;
    while (c >= 0x30 && c <= 0x39) {
      n = n * 10 + (c - 0x30);
      c = frame[++i]!;
    }
    if (c !== 0x3a) throw new Error(`malformed bench marker: ${frame.toString('utf8', pos, pos + 40)}`);
    let t = 0;
    c = frame[++i]!;
    while (c >= 0x30 && c <= 0x39) {
      t = t * 10 + (c - 0x30);
      c = frame[++i]!;
    }
    found(n, t);
    pos = frame.indexOf(MARKER, i);
  }
}

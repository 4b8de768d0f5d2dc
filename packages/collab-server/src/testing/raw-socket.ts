// A bare WebSocket for protocol tests: records every frame, waits for the one a test expects, and
// reports how the server closed the socket.

import WebSocket from 'ws';
import type { ClientFrame, ServerFrame } from '@vestnik/protocol';
import { wsText } from '@vestnik/testing';

export interface RawSocket {
  readonly ws: WebSocket;
  readonly frames: ServerFrame[];
  readonly closed: Promise<{ code: number; reason: string }>;
  send(frame: ClientFrame | string): void;
  /** The first frame (seen or coming) that matches. */
  next<F extends ServerFrame>(match: (frame: ServerFrame) => frame is F, timeoutMs?: number): Promise<F>;
  next(match: (frame: ServerFrame) => boolean, timeoutMs?: number): Promise<ServerFrame>;
}

export async function openRaw(url: string): Promise<RawSocket> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const frames: ServerFrame[] = [];
  let wake: Array<() => void> = [];
  ws.on('message', (data) => {
    frames.push(JSON.parse(wsText(data)) as ServerFrame);
    const ready = wake;
    wake = [];
    for (const w of ready) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    frames,
    closed,
    send(frame) {
      ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    },
    async next(match: (frame: ServerFrame) => boolean, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      let seen = 0;
      for (;;) {
        for (; seen < frames.length; seen++) if (match(frames[seen]!)) return frames[seen]!;
        if (Date.now() > deadline) throw new Error(`no matching frame; got ${JSON.stringify(frames)}`);
        await new Promise<void>((resolve) => {
          wake.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
  };
}

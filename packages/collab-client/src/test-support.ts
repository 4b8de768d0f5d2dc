// Helpers for the SDK's tests: a WebSocket that records the frames both ways (so a test sees what
// the SDK asked and what the server pushed, not only what reached the application), and a wait.
// Nothing here knows the server: the tests bring their own.

import WebSocket, { WebSocketServer, type RawData } from 'ws';
import type { ClientFrame, ServerFrame } from '@vestnik/protocol';
import type { WebSocketConstructor } from './web-socket.js';

/** The frames of every socket a RecordingWebSocket class opened, in order. */
export interface FrameLog {
  readonly sent: ClientFrame[];
  readonly received: ServerFrame[];
  /** Called with each frame as the SDK sends it, before it leaves. */
  onSend?: (frame: ClientFrame) => void;
}

/** A `ws` WebSocket class for `connect({ WebSocket })` that records into `log`. */
export function recordingWebSocket(log: FrameLog): WebSocketConstructor {
  return class RecordingWebSocket extends WebSocket {
    constructor(url: string) {
      super(url);
      this.on('message', (data) => log.received.push(JSON.parse(wsText(data)) as ServerFrame));
    }

    override send(data: unknown): void {
      const frame = JSON.parse(String(data)) as ClientFrame;
      log.sent.push(frame);
      log.onSend?.(frame);
      super.send(data as string);
    }
  };
}

/**
 * The UTF-8 text of a `ws` message: RawData is a Buffer, an ArrayBuffer or a list of Buffers, and
 * `String()` is right only for the first. (Not `@vestnik/testing`'s: this file is SDK code to the
 * package boundaries.)
 */
export function wsText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/** A scripted server of the SDK's tests, listening on a free loopback port. */
export interface ScriptedServer<F> {
  readonly server: WebSocketServer;
  readonly port: number;
  /** Every frame the SDK sent, on any connection, in order. */
  readonly received: F[];
}

/**
 * A server that speaks just enough of the protocol for a test: it records every frame, answers
 * `auth` with a welcome for user u1, and hands every other frame to `script`, which is called
 * once per connection with that connection's `send`.
 */
export async function scriptedServer<F extends { op: string }>(
  script: (send: (frame: object) => void) => (frame: F) => void,
): Promise<ScriptedServer<F>> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  const received: F[] = [];
  server.on('connection', (socket) => {
    const send = (frame: object) => socket.send(JSON.stringify(frame));
    const onFrame = script(send);
    socket.on('message', (data) => {
      const frame = JSON.parse(wsText(data)) as F;
      received.push(frame);
      if (frame.op !== 'auth') return onFrame(frame);
      send({
        op: 'welcome',
        userId: 'u1',
        expiresIn: 600_000,
        limits: { maxFrameBytes: 65536, maxSubscriptions: 100 },
      });
    });
  });
  await new Promise((resolve) => server.once('listening', resolve));
  return { server, port: (server.address() as { port: number }).port, received };
}

export function frameLog(): FrameLog {
  return { sent: [], received: [] };
}

export async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

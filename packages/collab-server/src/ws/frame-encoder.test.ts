import { describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { Message } from '@vestnik/protocol';
import { encodeText, pushFrame } from './frame-encoder.js';

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
  it('builds a message’s push frame once for all receivers', () => {
    const m = message(1);
    expect(pushFrame(m)).toBe(pushFrame(m));
    expect(pushFrame(message(1))).not.toBe(pushFrame(m));
  });

  it('builds frames a WebSocket client reads, small and large', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => wss.once('listening', resolve));
    const port = (wss.address() as { port: number }).port;
    wss.on('connection', (_ws, request) => {
      const socket = request.socket;
      socket.write(pushFrame(message(1)));
      socket.write(pushFrame(message(2, 'x'.repeat(300))));
      socket.write(pushFrame(message(3, 'y'.repeat(70_000))));
      socket.write(encodeText('{"op":"pong"}'));
    });
    const client = new WebSocket(`ws://127.0.0.1:${port}`);
    const got: string[] = [];
    await new Promise<void>((resolve) =>
      client.on('message', (data) => {
        got.push(data.toString());
        if (got.length === 4) resolve();
      }),
    );
    expect(got.slice(0, 3).map((f) => (JSON.parse(f) as { message: Message }).message.text.length)).toEqual([
      5, 300, 70_000,
    ]);
    expect(JSON.parse(got[3]!)).toEqual({ op: 'pong' });
    client.close();
    wss.close();
  });
});

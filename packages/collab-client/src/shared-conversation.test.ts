// Two handlers on one conversation share the socket's one subscription to it. Against a scripted
// server: the real gateway, asked to subscribe again with an earlier `since` while a subscription
// is live, sends `subscribed`, then its catch-up while the live one still pushes; a handler must
// not take a live message ahead of its catch-up and then drop the catch-up as duplicates.

import { afterEach, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { connect, type CollabClient } from './client.js';

let server: WebSocketServer | undefined;
let client: CollabClient | undefined;

afterEach(async () => {
  client?.close();
  await new Promise((resolve) => server?.close(resolve));
});

type Frame = { op: string; id?: string; conversationId?: string; since?: number };

const message = (seq: number) => ({
  op: 'message',
  conversationId: 'c1',
  message: {
    id: `m${seq}`,
    conversationId: 'c1',
    seq,
    authorId: null,
    createdAt: '2026-11-28T00:00:00.000Z',
    text: `#${seq}`,
    data: null,
    recipients: [],
  },
});

it('gives a handler attached with an earlier since every message, once, in order', async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  const received: Frame[] = [];
  server.on('connection', (socket) => {
    const send = (frame: object) => socket.send(JSON.stringify(frame));
    let live = false;
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      received.push(frame);
      if (frame.op === 'auth') {
        send({
          op: 'welcome',
          userId: 'u1',
          expiresIn: 600_000,
          limits: { maxFrameBytes: 65536, maxSubscriptions: 100 },
        });
      } else if (frame.op === 'history') {
        send({
          op: 'history-page',
          id: frame.id,
          messages: [],
          truncated: false,
          lastSeq: 6,
          hasMore: false,
        });
      } else if (frame.op === 'unsubscribe') {
        live = false;
        send({ op: 'unsubscribed', conversationId: 'c1' });
      } else if (frame.op === 'subscribe' && frame.since === undefined) {
        send({ op: 'subscribed', id: frame.id, conversationId: 'c1', truncated: false, cursor: 5 });
        live = true;
      } else if (frame.op === 'subscribe') {
        // What the gateway does: announce, then catch up, while a subscription still live on
        // this socket goes on pushing (#6 was written meanwhile).
        send({ op: 'subscribed', id: frame.id, conversationId: 'c1', truncated: false, cursor: frame.since });
        if (live) send(message(6));
        for (let seq = frame.since! + 1; seq <= 6; seq++) send(message(seq));
        live = true;
      }
    });
  });
  await new Promise((resolve) => server!.once('listening', resolve));
  const { port } = server.address() as { port: number };
  client = connect({ url: `ws://127.0.0.1:${port}`, WebSocket, getToken: () => 'token' });

  const first: number[] = [];
  const second: number[] = [];
  await client.attachNewMessageHandler({ id: 'c1' }, (m) => first.push(m.seq)).ready;
  await client.attachNewMessageHandler({ id: 'c1' }, (m) => second.push(m.seq), { since: 2 }).ready;
  await waitUntil(() => first.length >= 1 && second.length >= 4);
  await client.history({ id: 'c1' }); // a round trip: anything left has come
  expect(second).toEqual([3, 4, 5, 6]);
  expect(first).toEqual([6]);
});

it('subscribes once per conversation, from the earliest seq its handlers need', async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  const subscribes: Frame[] = [];
  server.on('connection', (socket) => {
    const send = (frame: object) => socket.send(JSON.stringify(frame));
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      if (frame.op === 'auth') {
        send({
          op: 'welcome',
          userId: 'u1',
          expiresIn: 600_000,
          limits: { maxFrameBytes: 65536, maxSubscriptions: 100 },
        });
      } else if (frame.op === 'history') {
        send({
          op: 'history-page',
          id: frame.id,
          messages: [],
          truncated: false,
          lastSeq: 6,
          hasMore: false,
        });
      } else if (frame.op === 'subscribe') {
        subscribes.push(frame);
        send({
          op: 'subscribed',
          id: frame.id,
          conversationId: 'c1',
          truncated: false,
          cursor: frame.since ?? 6,
        });
        for (let seq = (frame.since ?? 6) + 1; seq <= 6; seq++) send(message(seq));
      }
    });
  });
  await new Promise((resolve) => server!.once('listening', resolve));
  const { port } = server.address() as { port: number };
  client = connect({ url: `ws://127.0.0.1:${port}`, WebSocket, getToken: () => 'token' });
  const late: number[] = [];
  const early: number[] = [];
  const now: number[] = [];
  // Attached before the socket is up: all three go out at once when it is.
  const a = client.attachNewMessageHandler({ id: 'c1' }, (m) => late.push(m.seq), { since: 4 });
  const b = client.attachNewMessageHandler({ id: 'c1' }, (m) => early.push(m.seq), { since: 1 });
  const c = client.attachNewMessageHandler({ id: 'c1' }, (m) => now.push(m.seq));
  await Promise.all([a.ready, b.ready, c.ready]);
  await waitUntil(() => early.length >= 5 && late.length >= 2);
  expect(subscribes.map((f) => f.since)).toEqual([1]);
  expect(early).toEqual([2, 3, 4, 5, 6]);
  expect(late).toEqual([5, 6]);
  expect(now).toEqual([]); // without since: only what comes after the subscription
});

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

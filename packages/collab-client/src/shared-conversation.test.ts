// Two subscriptions to one conversation share the socket's one subscription to it. Against a
// scripted server: the real gateway, asked to subscribe again with an earlier `since` while a
// subscription is live, sends `subscribed`, then its catch-up while the live one still pushes; a
// subscription must not take a live message ahead of its catch-up and then drop the catch-up as
// duplicates.

import { afterEach, expect, it } from 'vitest';
import WebSocket, { type WebSocketServer } from 'ws';
import { connect, type CollabClient } from './client.js';
import { scriptedServer, waitUntil } from './test-support.js';

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
  const scripted = await scriptedServer<Frame>((send) => {
    let live = false;
    return (frame) => {
      if (frame.op === 'history') {
        // Only the test's own round trips: the SDK learns where c1 stands from `subscribed`.
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
        send({
          op: 'subscribed',
          id: frame.id,
          conversationId: 'c1',
          truncated: false,
          cursor: 5,
          lastSeq: 5,
        });
        live = true;
      } else if (frame.op === 'subscribe') {
        // What the gateway does: announce, then catch up, while a subscription still live on
        // this socket goes on pushing (#6 was written meanwhile).
        send({
          op: 'subscribed',
          id: frame.id,
          conversationId: 'c1',
          truncated: false,
          cursor: frame.since,
          lastSeq: 6,
        });
        if (live) send(message(6));
        for (let seq = frame.since! + 1; seq <= 6; seq++) send(message(seq));
        live = true;
      }
    };
  });
  server = scripted.server;
  const received = scripted.received;
  const { port } = scripted;
  client = connect({ url: `ws://127.0.0.1:${port}`, WebSocket, getToken: () => 'token' });

  const first: number[] = [];
  const second: number[] = [];
  const a = client.subscribe({ id: 'c1' });
  a.on('message', (m) => first.push(m.seq));
  await a.ready();
  const b = client.subscribe({ id: 'c1' }, { since: 2 });
  b.on('message', (m) => second.push(m.seq));
  await b.ready();
  await waitUntil(() => first.length >= 1 && second.length >= 4);
  await client.history({ id: 'c1' }); // a round trip: anything left has come
  expect(second).toEqual([3, 4, 5, 6]);
  expect(first).toEqual([6]);
  expect(received.filter((f) => f.op === 'subscribe').map((f) => f.since)).toEqual([undefined, 2]);
  expect(received.filter((f) => f.op === 'history')).toHaveLength(1);
});

it('subscribes once per conversation, from the earliest seq its handlers need', async () => {
  const subscribes: Frame[] = [];
  const scripted = await scriptedServer<Frame>((send) => {
    return (frame) => {
      if (frame.op === 'subscribe') {
        subscribes.push(frame);
        send({
          op: 'subscribed',
          id: frame.id,
          conversationId: 'c1',
          truncated: false,
          cursor: frame.since ?? 6,
          lastSeq: 6,
        });
        for (let seq = (frame.since ?? 6) + 1; seq <= 6; seq++) send(message(seq));
      }
    };
  });
  server = scripted.server;
  const { port } = scripted;
  client = connect({ url: `ws://127.0.0.1:${port}`, WebSocket, getToken: () => 'token' });
  const late: number[] = [];
  const early: number[] = [];
  const now: number[] = [];
  // Subscribed before the socket is up: all three go out at once when it is.
  const a = client.subscribe({ id: 'c1' }, { since: 4 });
  const b = client.subscribe({ id: 'c1' }, { since: 1 });
  const c = client.subscribe({ id: 'c1' });
  a.on('message', (m) => late.push(m.seq));
  b.on('message', (m) => early.push(m.seq));
  c.on('message', (m) => now.push(m.seq));
  await Promise.all([a.ready(), b.ready(), c.ready()]);
  await waitUntil(() => early.length >= 5 && late.length >= 2);
  expect(subscribes.map((f) => f.since)).toEqual([1]);
  expect(early).toEqual([2, 3, 4, 5, 6]);
  expect(late).toEqual([5, 6]);
  expect(now).toEqual([]); // without since: only what comes after the subscription
});

it('subscribes again when a key first seen names a conversation followed by its id', async () => {
  const scripted = await scriptedServer<Frame>((send) => {
    let live = false;
    return (frame) => {
      if (frame.op === 'history') {
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
      } else if (frame.op === 'subscribe') {
        // By id or by its key alike; #6 is written while the catch-up runs, and a subscription
        // still live pushes it first.
        const cursor = frame.since ?? 5;
        send({ op: 'subscribed', id: frame.id, conversationId: 'c1', truncated: false, cursor, lastSeq: 5 });
        if (live && frame.since !== undefined) send(message(6));
        for (let seq = cursor + 1; seq <= 6; seq++) send(message(seq));
        live = true;
      }
    };
  });
  server = scripted.server;
  const received = scripted.received;
  const { port } = scripted;
  client = connect({ url: `ws://127.0.0.1:${port}`, WebSocket, getToken: () => 'token' });
  const byId: number[] = [];
  const byKey: number[] = [];
  const first = client.subscribe({ id: 'c1' });
  first.on('message', (m) => byId.push(m.seq));
  await first.ready();
  const second = client.subscribe({ key: 'couriers' }, { since: 2 });
  second.on('message', (m) => byKey.push(m.seq));
  await second.ready();
  await waitUntil(() => byKey.length >= 4);
  await client.history({ id: 'c1' }); // a round trip: anything left has come
  expect(byKey).toEqual([3, 4, 5, 6]);
  expect(byId).toEqual([6]);
  expect(received.filter((f) => f.op === 'subscribe' || f.op === 'unsubscribe')).toMatchObject([
    { op: 'subscribe', conversation: { id: 'c1' } },
    { op: 'subscribe', conversation: { key: 'couriers' }, since: 2 },
    { op: 'unsubscribe', conversationId: 'c1' },
    { op: 'subscribe', conversation: { id: 'c1' }, since: 2 },
  ]);
});

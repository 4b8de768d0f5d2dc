// Against a scripted server: detaching one handler while another handler's subscribe to the same
// conversation (named by its key, not yet answered) is in flight must not end that subscription.
// The server may put the new subscribe in place before an unsubscribe reaches it; an unsubscribe
// sent then would end the subscription the other handler is about to rely on.

import { afterEach, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { connect, type CollabClient } from './client.js';

let server: WebSocketServer | undefined;
let client: CollabClient | undefined;

afterEach(async () => {
  client?.close();
  await new Promise((resolve) => server?.close(resolve));
});

type Frame = { op: string; id?: string; conversationId?: string; conversation?: { key?: string } };

it('holds back the unsubscribe until a subscribe in flight shows which conversation it is for', async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  const received: Frame[] = [];
  const subscribes: Array<{ id: string; reply: () => void }> = [];
  let historyAsked: () => void = () => {};
  const history = new Promise<void>((resolve) => (historyAsked = resolve));
  server.on('connection', (socket) => {
    const send = (frame: object) => socket.send(JSON.stringify(frame));
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
      } else if (frame.op === 'subscribe') {
        const conversationId = frame.conversation?.key === 'elsewhere' ? 'c2' : 'c1';
        const reply = () =>
          send({ op: 'subscribed', id: frame.id, conversationId, truncated: false, cursor: 0 });
        subscribes.push({ id: frame.id!, reply });
        if (subscribes.length === 1) reply(); // the later ones stay unanswered until the test says
      } else if (frame.op === 'history') {
        send({
          op: 'history-page',
          id: frame.id,
          messages: [],
          truncated: false,
          lastSeq: 0,
          hasMore: false,
        });
        historyAsked();
      }
    });
  });
  await new Promise((resolve) => server!.once('listening', resolve));
  const { port } = server.address() as { port: number };
  client = connect({ url: `ws://127.0.0.1:${port}`, WebSocket, getToken: () => 'token' });

  const unsubscribes = () => received.filter((f) => f.op === 'unsubscribe').map((f) => f.conversationId);
  const first = client.attachNewMessageHandler({ id: 'c1' }, () => {});
  await first.ready;
  const second = client.attachNewMessageHandler({ key: 'couriers' }, () => {}); // in flight
  await waitUntil(() => subscribes.length === 2);
  first();
  await client.history({ id: 'c1' }); // frames reach the server in order: anything sent is in by now
  await history;
  expect(unsubscribes()).toEqual([]);
  subscribes[1]!.reply(); // the key named c1: the conversation is still followed
  await second.ready;
  await client.history({ id: 'c1' });
  expect(unsubscribes()).toEqual([]);

  // The last handler of c1 goes while a subscribe by another, unknown key is in flight: the
  // unsubscribe waits for its answer, and goes once that named another conversation.
  const third = client.attachNewMessageHandler({ key: 'elsewhere' }, () => {});
  await waitUntil(() => subscribes.length === 3);
  second();
  await client.history({ id: 'c1' });
  expect(unsubscribes()).toEqual([]);
  subscribes[2]!.reply();
  await third.ready;
  await client.history({ id: 'c1' });
  expect(unsubscribes()).toEqual(['c1']);
}, 20_000);

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

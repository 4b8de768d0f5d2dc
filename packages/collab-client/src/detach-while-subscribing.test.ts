// Against a scripted server: unsubscribing while a subscribe is on its way must neither end a
// subscription another one relies on nor leave one behind. A subscribe by a key not seen yet may
// name a conversation known only by its id; the server may put it in place after an unsubscribe of
// that id reaches it, which would then end it. A conversation whose key is known is safe from the
// rest (a conversation has one key), so its unsubscribe need not wait.

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

type Frame = {
  op: string;
  id?: string;
  conversationId?: string;
  conversation?: { key?: string; id?: string };
};

/** Keys and the conversations they name on the scripted server. */
const keys: Record<string, string> = { couriers: 'c1', elsewhere: 'c2' };

/** The scripted server: subscribes by id answered at once, by key when the test says. */
async function keyedServer(): Promise<{
  received: Frame[];
  subscribes: Array<{ frame: Frame; reply: () => void }>;
  port: number;
}> {
  const subscribes: Array<{ frame: Frame; reply: () => void }> = [];
  const scripted = await scriptedServer<Frame>((send) => (frame) => {
    if (frame.op === 'subscribe') {
      const ref = frame.conversation!;
      const conversationId = ref.id ?? keys[ref.key!]!;
      const reply = () =>
        send({ op: 'subscribed', id: frame.id, conversationId, truncated: false, cursor: 0, lastSeq: 0 });
      subscribes.push({ frame, reply });
      if (ref.id !== undefined) reply();
    } else if (frame.op === 'ping') {
      send({ op: 'pong', id: frame.id });
    }
  });
  server = scripted.server;
  return { received: scripted.received, subscribes, port: scripted.port };
}

it('holds back the unsubscribe of an id while a subscribe by an unknown key is on its way', async () => {
  const { received, subscribes, port } = await keyedServer();
  client = connect({ url: `ws://127.0.0.1:${port}`, WebSocket, getToken: () => 'token', heartbeatMs: 50 });
  const unsubscribes = () => received.filter((f) => f.op === 'unsubscribe').map((f) => f.conversationId);
  /** Every frame the client sent so far has reached the server (frames arrive in order). */
  const settled = async () => {
    const pings = received.filter((f) => f.op === 'ping').length;
    await waitUntil(() => received.filter((f) => f.op === 'ping').length > pings);
  };

  const first = client.subscribe({ id: 'c1' });
  await first.ready();
  const second = client.subscribe({ key: 'couriers' }); // on its way: it names c1
  await waitUntil(() => subscribes.length === 2);
  first.unsubscribe();
  await settled();
  expect(unsubscribes()).toEqual([]);
  subscribes[1]!.reply();
  expect(await second.ready()).toMatchObject({ conversationId: 'c1' });
  await settled();
  expect(unsubscribes()).toEqual([]); // c1 is still followed, by the key

  // c1's key is known now: no other key can name it, so its unsubscribe goes at once.
  const third = client.subscribe({ id: 'c3' });
  await third.ready();
  const fourth = client.subscribe({ key: 'elsewhere' }); // on its way: it names c2
  await waitUntil(() => subscribes.length === 4);
  second.unsubscribe();
  await waitUntil(() => unsubscribes().length === 1);
  expect(unsubscribes()).toEqual(['c1']);
  // c3 is known only by its id: its unsubscribe waits for the answer naming another conversation.
  third.unsubscribe();
  await settled();
  expect(unsubscribes()).toEqual(['c1']);
  subscribes[3]!.reply();
  await fourth.ready();
  await waitUntil(() => unsubscribes().length === 2);
  expect(unsubscribes()).toEqual(['c1', 'c3']);
}, 20_000);

it('unsubscribes once the answer comes to a subscribe it no longer wants', async () => {
  const { received, subscribes, port } = await keyedServer();
  client = connect({ url: `ws://127.0.0.1:${port}`, WebSocket, getToken: () => 'token' });
  const subscription = client.subscribe({ key: 'couriers' });
  const events: string[] = [];
  subscription.on('subscribed', () => events.push('subscribed'));
  subscription.on('unsubscribed', (e) => events.push(`unsubscribed:${e.reason}`));
  await waitUntil(() => subscribes.length === 1);
  subscription.unsubscribe();
  subscribes[0]!.reply();
  await waitUntil(() => received.some((f) => f.op === 'unsubscribe'));
  expect(received.filter((f) => f.op === 'unsubscribe')).toEqual([
    { op: 'unsubscribe', conversationId: 'c1' },
  ]);
  expect(events).toEqual(['unsubscribed:unsubscribe']);
});

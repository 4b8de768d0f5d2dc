// Blocking a user ends their live subscriptions at once: the socket gets `unsubscribed` with
// USER_BLOCKED, nothing written afterwards reaches it, other users' subscriptions go on, and the
// client SDK ends the handler for good instead of subscribing again.

import { afterAll, beforeAll, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { createCollab, type Collab } from '@vestnik/collab';
import { interceptSubscriptions } from '@vestnik/collab/testing';
import { createSqliteStorage } from '@vestnik/storage-sqlite';
import { connect } from './index.js';
import type { Message, ServerFrame, VestnikError } from '@vestnik/protocol';
import { collabServer, issueClientToken } from '@vestnik/collab-server';
import { openRaw, type RawSocket } from '@vestnik/collab-server/testing';

const secret = 'blocked-user-secret-0123456789-0123456789';
let collab: Collab;
let app: FastifyInstance;
let alice: string;
let bob: string;
let wsUrl: string;
/** Who collab.subscribe was asked for, in order (the SDK must not retry for a blocked user). */
const subscribers: string[] = [];

const token = (userId: string) => issueClientToken(secret, { userId, application: 'shop' }).token;

beforeAll(async () => {
  collab = await createCollab({ storage: createSqliteStorage({ file: ':memory:' }) });
  await collab.register({ applicationName: 'shop' });
  alice = (await collab.createUser({ externalId: 'alice', name: 'Alice' })).id;
  bob = (await collab.createUser({ externalId: 'bob', name: 'Bob' })).id;
  await collab.createConversation({ key: 'k', participants: [alice, bob] });
  const counted = interceptSubscriptions(collab, (input, next) => {
    subscribers.push(input.asUser);
    return next(input);
  });
  app = Fastify();
  await app.register(collabServer, { collab: counted, tokenSecret: secret, application: 'shop' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  wsUrl = `ws://127.0.0.1:${(app.server.address() as { port: number }).port}/collab/ws`;
});

afterAll(async () => {
  await app.close();
  await collab.close();
});

async function subscribed(userId: string): Promise<RawSocket> {
  const socket = await openRaw(wsUrl);
  socket.send({ op: 'auth', token: token(userId) });
  socket.send({ op: 'subscribe', id: 's', conversation: { key: 'k' } });
  await socket.next((f) => f.op === 'subscribed');
  return socket;
}

it('ends a blocked user’s subscriptions with USER_BLOCKED; the SDK does not subscribe again', async () => {
  const aliceSocket = await subscribed(alice);
  const bobSocket = await subscribed(bob);
  const sdk = connect({ url: wsUrl, WebSocket, getToken: () => token(alice) });
  const sdkGot: Message[] = [];
  const sdkErrors: VestnikError[] = [];
  const subscription = sdk.subscribe({ key: 'k' });
  subscription.on('message', (m) => sdkGot.push(m));
  subscription.on('unsubscribed', (e) => {
    if (e.reason === 'error') sdkErrors.push(e.error);
  });
  await subscription.ready();
  await collab.createMessage({ conversation: { key: 'k' }, text: 'before' });
  await aliceSocket.next((f) => f.op === 'message');
  for (let i = 0; i < 100 && sdkGot.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
  const asked = subscribers.length;

  await collab.blockUser(alice);
  const ended = await aliceSocket.next((f) => f.op === 'unsubscribed');
  expect(ended).toEqual({
    op: 'unsubscribed',
    conversationId: ended.conversationId,
    code: 'USER_BLOCKED',
    message: 'The user was blocked.',
  });
  for (let i = 0; i < 100 && sdkErrors.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
  expect(sdkErrors.map((e) => e.code)).toEqual(['USER_BLOCKED']);

  await collab.createMessage({ conversation: { key: 'k' }, text: 'after' });
  await bobSocket.next((f) => f.op === 'message' && f.message.text === 'after');
  // Round trips on both sockets: anything the server would still push came before the pong.
  aliceSocket.send({ op: 'ping', id: 'p' });
  await aliceSocket.next((f) => f.op === 'pong');
  await new Promise((r) => setTimeout(r, 200));
  const texts = (frames: ServerFrame[]) =>
    frames.flatMap((f) => (f.op === 'message' ? [f.message.text] : []));
  expect(texts(aliceSocket.frames)).toEqual(['before']);
  expect(texts(bobSocket.frames)).toEqual(['before', 'after']);
  expect(sdkGot.map((m) => m.text)).toEqual(['before']);
  expect(subscribers.length).toBe(asked); // nobody asked to subscribe again
  expect(sdk.state).toBe('connected'); // the socket stays; only the subscriptions ended

  sdk.close();
  aliceSocket.ws.close();
  bobSocket.ws.close();
});

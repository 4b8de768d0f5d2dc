// An unsubscribe that comes while a subscription catches up (its backlog still being read) ends it
// for good: nothing of it is pushed after `unsubscribed`, where it would interleave with a
// subscription the client starts next.

import { afterAll, beforeAll, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { createCollab, type Collab } from '@vestnik/collab';
import { interceptBacklogReads } from '@vestnik/collab/testing';
import { createSqliteStorage } from '@vestnik/storage-sqlite';
import type { ServerFrame } from '@vestnik/protocol';
import { issueClientToken } from '../auth/client-token.js';
import { collabServer } from '../plugin.js';
import { openRaw } from '../testing/raw-socket.js';

const secret = 'cancelled-catch-up-secret-0123456789-0123';
let collab: Collab;
let app: FastifyInstance;
let alice: string;
let openGate: () => void = () => {};
let gateReached: () => void = () => {};
const reached = new Promise<void>((resolve) => (gateReached = resolve));

beforeAll(async () => {
  collab = await createCollab({ storage: createSqliteStorage({ file: ':memory:' }) });
  await collab.register({ applicationName: 'shop' });
  alice = (await collab.createUser({ externalId: 'alice', name: 'Alice' })).id;
  await collab.createConversation({ key: 'k', participants: [alice] });
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  // Reading the backlog waits at a gate, so that the test can unsubscribe while it is under way.
  const gated = interceptBacklogReads(collab, async () => {
    gateReached();
    await gate;
  });
  app = Fastify();
  await app.register(collabServer, { collab: gated, tokenSecret: secret, application: 'shop' });
  await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app.close();
  await collab.close();
});

it('pushes nothing of a subscription unsubscribed while it caught up', async () => {
  const write = (text: string) => collab.createMessage({ conversation: { key: 'k' }, text });
  await write('one');
  const { port } = app.server.address() as { port: number };
  const socket = await openRaw(`ws://127.0.0.1:${port}/collab/ws`);
  socket.send({ op: 'auth', token: issueClientToken(secret, { userId: alice, application: 'shop' }).token });
  socket.send({ op: 'subscribe', id: 's', conversation: { key: 'k' }, since: 0 });
  const subscribed = await socket.next(
    (f): f is Extract<ServerFrame, { op: 'subscribed' }> => f.op === 'subscribed',
  );
  await reached; // reading the backlog waits at the gate
  await write('two'); // goes to the backlog that is read once the gate opens
  socket.send({ op: 'unsubscribe', id: 'u', conversationId: subscribed.conversationId });
  await socket.next((f) => f.op === 'unsubscribed');
  openGate();
  await write('three');
  socket.send({ op: 'ping', id: 'p' });
  await socket.next((f) => f.op === 'pong');
  const after = socket.frames.slice(socket.frames.findIndex((f) => f.op === 'unsubscribed'));
  expect(after.filter((f) => f.op === 'message')).toEqual([]);
  socket.ws.close();
});

// A subscription the server ends with a transient code (its broker or storage failed after the
// catch-up was announced) is tried again by the SDK, not dropped for good.

import { afterAll, beforeAll, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import {
  createCollab,
  createMemoryBroker,
  createSqliteStorage,
  type Broker,
  type Collab,
} from '@vestnik/collab';
import { collabServer, issueClientToken } from '@vestnik/collab-server';
import type { VestnikError } from '@vestnik/protocol';
import { connect, type CollabClient } from './client.js';

const secret = 'transient-test-secret-0123456789-0123456789';
let collab: Collab;
let app: FastifyInstance;
let client: CollabClient;
let alice: string;
/** While true, starting to listen to a conversation fails, as when Redis is away. */
let brokerDown = false;

function flakyBroker(): Broker {
  const inner = createMemoryBroker();
  return {
    ...inner,
    subscribe: async (conversationId, listener) => {
      if (brokerDown) throw new Error('the broker is away');
      return inner.subscribe(conversationId, listener);
    },
  };
}

beforeAll(async () => {
  collab = await createCollab({
    storage: createSqliteStorage({ file: ':memory:' }),
    broker: flakyBroker(),
    onError: () => {},
  });
  await collab.register({ applicationName: 'shop' });
  alice = (await collab.createUser({ externalId: 'alice', name: 'Alice' })).id;
  await collab.createConversation({ key: 'k', participants: [alice] });
  app = Fastify();
  await app.register(collabServer, { collab, tokenSecret: secret, application: 'shop' });
  await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  client?.close();
  await app.close();
  await collab.close();
});

it('resubscribes after the server ended a subscription with UNAVAILABLE, and misses nothing', async () => {
  const { port } = app.server.address() as { port: number };
  client = connect({
    url: `ws://127.0.0.1:${port}/collab/ws`,
    WebSocket,
    getToken: () => issueClientToken(secret, { userId: alice, application: 'shop' }).token,
    reconnect: { minDelayMs: 20, maxDelayMs: 100 },
  });
  const errors: VestnikError[] = [];
  client.on('error', (error) => errors.push(error));
  await collab.createMessage({ conversation: { key: 'k' }, text: 'one' });
  brokerDown = true;
  const got: string[] = [];
  const failures: string[] = [];
  const detach = client.attachNewMessageHandler({ key: 'k' }, (m) => got.push(m.text), {
    since: 0,
    onError: (error) => failures.push(error.code),
  });
  await detach.ready; // announced after the catch-up was read; then going live fails
  await waitUntil(() => errors.some((e) => e.code === 'UNAVAILABLE'));
  await collab.createMessage({ conversation: { key: 'k' }, text: 'two' });
  brokerDown = false;
  await collab.createMessage({ conversation: { key: 'k' }, text: 'three' });
  await waitUntil(() => got.length >= 3);
  await new Promise((r) => setTimeout(r, 50));
  expect(got).toEqual(['one', 'two', 'three']);
  expect(failures).toEqual([]);
});

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
